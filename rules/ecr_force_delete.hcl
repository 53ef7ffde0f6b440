rule "ecr_force_delete" {
  title          = "ECR repository can be destroyed with its images"
  severity       = "low"
  resource_types = ["aws_ecr_repository"]
  aliases        = []
  tags           = ["reliability", "data-loss", "ecr"]
  family         = "ecr"
  references = [
    "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/ecr_repository#force_delete",
  ]
  compliance = {
    "SOC 2"          = ["A1.2"]
    "NIST 800-53 r5" = ["CP-9"]
  }

  check {
    condition = resource.force_delete != true
    at        = resource.force_delete
    message   = "force_delete is true: destroying the repository deletes every image in it"
    fix {
      applicability = "safe"
      note          = "Destroying a repository that still holds images then fails instead of deleting them: an automated teardown must empty it first."
      set {
        force_delete = false
      }
    }
  }

  description = <<-EOT
    Without `force_delete`, Terraform cannot destroy a repository that still holds images:
    AWS refuses, and the plan fails before anything is lost. With `force_delete = true` the
    repository goes with all its images, so a mistaken `terraform destroy`, a renamed
    resource or a moved module deletes every image that production may still be running,
    and they cannot be restored.

    It is convenient in tests and sandboxes; it should not reach long-lived registries.
  EOT

  remediation = <<-EOT
    Leave `force_delete` out (it defaults to `false`), or set it from a variable that is
    only true in throwaway environments:

    ```hcl
    resource "aws_ecr_repository" "app" {
      name         = "app"
      force_delete = var.environment == "sandbox"
    }
    ```

    Add `lifecycle { prevent_destroy = true }` to registries whose images must outlive the
    configuration.
  EOT

  example "bad" {
    expect = ["aws_ecr_repository.scratch"]
    plan   = "examples/ecr_force_delete/bad-1.plan.json"
    config = <<-EOT
      resource "aws_ecr_repository" "scratch" {
        name         = "scratch"
        force_delete = true
      }
    EOT
  }

  example "good" {
    plan   = "examples/ecr_force_delete/good-2.plan.json"
    config = <<-EOT
      variable "environment" {
        type    = string
        default = "production"
      }

      resource "aws_ecr_repository" "app" {
        name         = "app"
        force_delete = var.environment == "sandbox"
      }

      resource "aws_ecr_repository" "default" {
        name = "default"
      }
    EOT
  }
}
