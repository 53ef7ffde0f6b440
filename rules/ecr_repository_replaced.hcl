rule "ecr_repository_replaced" {
  title           = "The plan deletes or replaces an ECR repository and its images"
  severity        = "high"
  resource_types  = ["aws_ecr_repository"]
  aliases         = []
  tags            = ["reliability", "data-loss", "ecr"]
  family          = "ecr"
  inputs          = ["plan"]
  include_deleted = true
  references = [
    "https://docs.aws.amazon.com/AmazonECR/latest/userguide/delete_repository.html",
    "https://github.com/google/go-containerregistry/blob/main/cmd/crane/doc/crane_copy.md",
    "https://developer.hashicorp.com/terraform/language/meta-arguments/lifecycle#prevent_destroy",
  ]
  compliance = {
    "SOC 2"          = ["CC8.1", "A1.2"]
    "NIST 800-53 r5" = ["CM-3", "CP-9"]
  }

  check {
    condition = !contains(change.actions, "delete")
    at        = resource
    message   = "${contains(change.actions, "create") ? "the plan replaces this repository" : "the plan deletes this repository"}: every image in it is deleted with it unless it is copied first"
  }

  description = <<-EOT
    Deleting an ECR repository deletes every image in it, and they cannot be restored. A
    plan deletes a repository when it leaves the configuration, and replaces it (deletes it,
    then creates an empty one) when an immutable setting changes: the name, or the
    `encryption_configuration`, which is exactly what fixing `ecr_nocmk` changes. Anything
    still running those images can no longer pull them when it scales or restarts.

    This rule reads plans only (`tfcheck plan.json`): only a plan knows what will be deleted.
  EOT

  remediation = <<-EOT
    Migrate instead of replacing:

    1. Create the new repository next to the old one, under a new name:

       ```hcl
       resource "aws_ecr_repository" "api_v2" {
         name = "api-v2"
         encryption_configuration {
           encryption_type = "KMS"
           kms_key         = aws_kms_key.ecr.arn
         }
       }
       ```

    2. Copy every tag with its digest preserved, for example with
       `crane copy <old-registry>/api:<tag> <new-registry>/api-v2:<tag>` (or
       `skopeo copy --all` for multi-arch images).
    3. Point every consumer (task definitions, Helm values, pull-through caches) at the new
       repository and deploy.
    4. Only then remove the old repository from the configuration.

    Add `lifecycle { prevent_destroy = true }` to repositories that must never be replaced
    by a plan.
  EOT

  example "bad" {
    expect = ["aws_ecr_repository.api", "aws_ecr_repository.legacy"]
    plan   = "examples/ecr_repository_replaced/bad.plan.json"
  }

  example "good" {
    plan = "examples/ecr_repository_replaced/good.plan.json"
  }
}
