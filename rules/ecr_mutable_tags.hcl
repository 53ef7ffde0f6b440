rule "ecr_mutable_tags" {
  title          = "ECR repository tags are mutable"
  severity       = "medium"
  resource_types = ["aws_ecr_repository", "aws_ecr_repository_creation_template"]
  aliases        = ["CKV_AWS_51", "AVD-AWS-0031", "aws-ecr-enforce-immutable-repository", "AWS078"]
  tags           = ["security", "supply-chain", "ecr"]
  family         = "ecr"
  references = [
    "https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-tag-mutability.html",
    "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/ecr_repository#image_tag_mutability",
  ]
  compliance = {
    "SOC 2"          = ["CC8.1"]
    "NIST 800-53 r5" = ["CM-14", "SI-7"]
  }

  check {
    condition = resource.image_tag_mutability != null
    at        = resource
    message   = "image_tag_mutability is not set: ECR defaults to MUTABLE, so a pushed tag can be overwritten"
    fix {
      applicability = "unsafe"
      note          = "A pipeline that pushes the same tag again (latest, a branch name) fails once tags are immutable: push unique tags (a commit hash) first."
      set {
        image_tag_mutability = "IMMUTABLE"
      }
    }
  }
  check {
    condition = contains(["IMMUTABLE", "IMMUTABLE_WITH_EXCLUSION"], resource.image_tag_mutability)
    at        = resource.image_tag_mutability
    message   = "image_tag_mutability is ${describe(resource.image_tag_mutability)}: anyone who can push can overwrite an existing tag"
    fix {
      applicability = "unsafe"
      note          = "A pipeline that pushes the same tag again (latest, a branch name) fails once tags are immutable: push unique tags (a commit hash) first."
      set {
        image_tag_mutability = "IMMUTABLE"
      }
    }
  }

  description = <<-EOT
    With mutable tags, pushing an image under an existing tag replaces what the tag points
    to. Whoever can push (a compromised CI job, a leaked token) can swap `app:1.4.2` for a
    malicious image, and every deployment that pulls by tag runs it; nothing in the tag's
    history shows it changed.

    `IMMUTABLE` makes ECR refuse to overwrite a tag. `IMMUTABLE_WITH_EXCLUSION` does the same
    except for the tag filters you list (for a moving `latest`, say), which keeps the rest
    safe. The provider's default is `MUTABLE`, so leaving the argument out is a finding.
  EOT

  remediation = <<-EOT
    Set `image_tag_mutability = "IMMUTABLE"`:

    ```hcl
    resource "aws_ecr_repository" "app" {
      name                 = "app"
      image_tag_mutability = "IMMUTABLE"
    }
    ```

    If a workflow needs a moving tag, keep it out of the rule rather than making every tag
    mutable:

    ```hcl
    resource "aws_ecr_repository" "app" {
      name                 = "app"
      image_tag_mutability = "IMMUTABLE_WITH_EXCLUSION"

      image_tag_mutability_exclusion_filter {
        filter      = "latest"
        filter_type = "WILDCARD"
      }
    }
    ```

    Deployments should pull by digest (`app@sha256:...`) where they can.
  EOT

  example "bad" {
    expect = ["aws_ecr_repository.default", "aws_ecr_repository.mutable", "aws_ecr_repository_creation_template.cache"]
    plan   = "examples/ecr_mutable_tags/bad-1.plan.json"
    config = <<-EOT
      resource "aws_ecr_repository" "default" {
        name = "default"
      }

      resource "aws_ecr_repository" "mutable" {
        name                 = "mutable"
        image_tag_mutability = "MUTABLE"
      }

      resource "aws_ecr_repository_creation_template" "cache" {
        prefix      = "cache"
        applied_for = ["PULL_THROUGH_CACHE"]
      }
    EOT
  }

  example "good" {
    config = <<-EOT
      variable "mutability" {
        type    = string
        default = "IMMUTABLE"
      }

      resource "aws_ecr_repository" "immutable" {
        name                 = "immutable"
        image_tag_mutability = var.mutability
      }

      resource "aws_ecr_repository" "excluded" {
        name                 = "excluded"
        image_tag_mutability = "IMMUTABLE_WITH_EXCLUSION"

        image_tag_mutability_exclusion_filter {
          filter      = "latest"
          filter_type = "WILDCARD"
        }
      }

      resource "aws_ecr_repository_creation_template" "cache" {
        prefix               = "cache"
        applied_for          = ["PULL_THROUGH_CACHE"]
        image_tag_mutability = "IMMUTABLE"
      }
    EOT
  }
}
