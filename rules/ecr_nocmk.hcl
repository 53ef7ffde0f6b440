rule "ecr_nocmk" {
  title          = "ECR repository is not encrypted with a customer-managed KMS key"
  severity       = "medium"
  resource_types = ["aws_ecr_repository", "aws_ecr_repository_creation_template"]
  aliases        = ["CKV_AWS_136", "AVD-AWS-0033", "aws-ecr-repository-customer-key", "AWS093"]
  tags           = ["security", "encryption", "kms", "cmk", "ecr"]
  family         = "cmk"
  compliance = {
    "PCI DSS 4.0"   = ["3.5.1", "3.6.1"]
    "HIPAA"         = ["164.312(a)(2)(iv)", "164.312(e)(2)(ii)"]
    "SOC 2"         = ["CC6.1", "CC6.7"]
    "NIST 800-53 r5" = ["SC-12", "SC-28"]
  }
  references = [
    "https://docs.aws.amazon.com/AmazonECR/latest/userguide/encryption-at-rest.html",
    "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/ecr_repository#encryption_configuration",
    "https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-mgmt",
  ]

  # Checks run in order; the first one that is false is the finding. A check whose
  # condition cannot be known before apply finds nothing by itself (docs/writing-rules.md).
  check {
    condition = length(resource.encryption_configuration) > 0
    at        = resource
    message   = "no encryption_configuration block: ECR encrypts the images with AES256 under an AWS-owned key"
    fix {
      applicability = "unsafe"
      replaces      = true
      note          = "Encryption cannot change in place: for a repository that already exists, Terraform replaces it, deleting every image in it. Apply it to repositories the plan creates; migrate the others (tfcheck migrate)."
      set {
        encryption_configuration {
          encryption_type = "KMS"
          kms_key         = key.arn
        }
      }
    }
  }
  check {
    condition = resource.encryption_configuration[0].encryption_type != null
    at        = resource.encryption_configuration[0].encryption_type
    message   = "encryption_type is not set: ECR encrypts the images with AES256 under an AWS-owned key"
    fix {
      applicability = "unsafe"
      replaces      = true
      note          = "Encryption cannot change in place: for a repository that already exists, Terraform replaces it, deleting every image in it. Apply it to repositories the plan creates; migrate the others (tfcheck migrate)."
      set {
        encryption_configuration {
          encryption_type = "KMS"
          kms_key         = key.arn
        }
      }
    }
  }
  check {
    condition = contains(["KMS", "KMS_DSSE"], resource.encryption_configuration[0].encryption_type)
    at        = resource.encryption_configuration[0].encryption_type
    message   = "encryption_type is ${describe(resource.encryption_configuration[0].encryption_type)}, not \"KMS\" or \"KMS_DSSE\": the images are encrypted under an AWS-owned key"
    fix {
      applicability = "unsafe"
      replaces      = true
      note          = "Encryption cannot change in place: for a repository that already exists, Terraform replaces it, deleting every image in it. Apply it to repositories the plan creates; migrate the others (tfcheck migrate)."
      set {
        encryption_configuration {
          encryption_type = "KMS"
          kms_key         = key.arn
        }
      }
    }
  }
  check {
    condition = kms_key_owner(resource.encryption_configuration[0].kms_key) != "none"
    at        = resource.encryption_configuration[0].kms_key
    message   = "encryption_type is ${describe(resource.encryption_configuration[0].encryption_type)} but kms_key is not set: ECR uses the AWS-managed key aws/ecr, whose policy nobody can edit"
    fix {
      applicability = "unsafe"
      replaces      = true
      note          = "The key cannot change in place: for a repository that already exists, Terraform replaces it, deleting every image in it. Apply it to repositories the plan creates; migrate the others (tfcheck migrate)."
      set {
        encryption_configuration {
          kms_key = key.arn
        }
      }
    }
  }
  check {
    condition = kms_key_owner(resource.encryption_configuration[0].kms_key) == "customer"
    at        = resource.encryption_configuration[0].kms_key
    message   = "kms_key ${describe(resource.encryption_configuration[0].kms_key)} is the AWS-managed key aws/ecr, whose policy nobody can edit"
    fix {
      applicability = "unsafe"
      replaces      = true
      note          = "The key cannot change in place: for a repository that already exists, Terraform replaces it, deleting every image in it. Apply it to repositories the plan creates; migrate the others (tfcheck migrate)."
      set {
        encryption_configuration {
          kms_key = key.arn
        }
      }
    }
  }

  description = <<-EOT
    An ECR repository encrypts its images either with AES256 under a key AWS owns, or with
    KMS. With KMS, the key is either the AWS-managed `aws/ecr` key (used when `kms_key` is
    left out, or named as `alias/aws/ecr`) or a key you manage.

    Only a customer-managed key lets you decide who may decrypt the images: its key policy is
    yours to write, you choose its rotation, and every use of it is in CloudTrail under your
    key. With the AES256 or `aws/ecr` keys, anyone holding ECR permissions (a leaked CI token,
    a broad role) can pull every image, and there is no key policy to stop them.

    Encryption settings cannot be changed after a repository is created: fixing it later
    means creating a new repository and migrating every image. Catching it in review is cheap.

    tfcheck follows `kms_key` through variables, locals, module arguments and outputs and
    data sources. It passes a key created by `aws_kms_key`, `aws_kms_alias` or
    `aws_kms_replica_key`, a key or customer alias ARN, and a data source that looks up a
    customer alias. It reports nothing when the key cannot be known before apply.
  EOT

  remediation = <<-EOT
    Create a key (or use an existing one) and name it in `kms_key`:

    ```hcl
    resource "aws_kms_key" "ecr" {
      description         = "ECR images"
      enable_key_rotation = true
    }

    resource "aws_ecr_repository" "app" {
      name = "app"

      encryption_configuration {
        encryption_type = "KMS"
        kms_key         = aws_kms_key.ecr.arn
      }
    }
    ```

    The encryption settings of an existing repository are immutable: Terraform replaces the
    repository, deleting its images. Create the new repository next to the old one, copy
    every tag with its digest (`crane copy` or `skopeo copy --all`), point consumers at it,
    then delete the old one.
  EOT

  example "bad" {
    expect = ["aws_ecr_repository.plain"]
    plan   = "examples/ecr_nocmk/bad-1.plan.json"
    config = <<-EOT
      resource "aws_ecr_repository" "plain" {
        name = "plain"
      }
    EOT
  }

  example "bad" {
    expect = ["aws_ecr_repository.aes", "aws_ecr_repository.default_key", "aws_ecr_repository.managed"]
    plan   = "examples/ecr_nocmk/bad-2.plan.json"
    config = <<-EOT
      resource "aws_ecr_repository" "aes" {
        name = "aes"
        encryption_configuration {
          encryption_type = "AES256"
        }
      }

      resource "aws_ecr_repository" "default_key" {
        name = "default-key"
        encryption_configuration {
          encryption_type = "KMS"
        }
      }

      resource "aws_ecr_repository" "managed" {
        name = "managed"
        encryption_configuration {
          encryption_type = "KMS"
          kms_key         = "arn:aws:kms:eu-west-1:111122223333:alias/aws/ecr"
        }
      }
    EOT
  }

  example "bad" {
    expect = ["aws_ecr_repository_creation_template.cache"]
    plan   = "examples/ecr_nocmk/bad-3.plan.json"
    config = <<-EOT
      data "aws_kms_alias" "ecr" {
        name = "alias/aws/ecr"
      }

      resource "aws_ecr_repository_creation_template" "cache" {
        prefix      = "cache"
        applied_for = ["PULL_THROUGH_CACHE"]
        encryption_configuration {
          encryption_type = "KMS"
          kms_key         = data.aws_kms_alias.ecr.target_key_arn
        }
      }
    EOT
  }

  example "bad" {
    expect = ["aws_ecr_repository.empty_block"]
    config = <<-EOT
      # An empty block: encryption_type defaults to AES256.
      resource "aws_ecr_repository" "empty_block" {
        name = "empty-block"
        encryption_configuration {}
      }
    EOT
  }

  example "good" {
    plan   = "examples/ecr_nocmk/good-4.plan.json"
    config = <<-EOT
      resource "aws_kms_key" "ecr" {
        enable_key_rotation = true
      }

      resource "aws_ecr_repository" "app" {
        name = "app"
        encryption_configuration {
          encryption_type = "KMS"
          kms_key         = aws_kms_key.ecr.arn
        }
      }

      resource "aws_ecr_repository" "by_arn" {
        name = "by-arn"
        encryption_configuration {
          encryption_type = "KMS_DSSE"
          kms_key         = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
        }
      }
    EOT
  }

  example "good" {
    config = <<-EOT
      variable "kms_key_arn" {
        type = string
      }

      # The key is not known before apply: no finding.
      resource "aws_ecr_repository" "unknown" {
        name = "unknown"
        encryption_configuration {
          encryption_type = "KMS"
          kms_key         = var.kms_key_arn
        }
      }
    EOT
  }
}
