# A small platform: one shared KMS key, application repositories created through a local
# module, and a pull-through cache template. Two repositories are insecure.

locals {
  teams = {
    api     = { encrypted = true }
    billing = { encrypted = true }
    legacy  = { encrypted = false }
  }
}

resource "aws_kms_key" "ecr" {
  description         = "Container images"
  enable_key_rotation = true
}

module "registry" {
  source   = "./modules/registry"
  for_each = local.teams

  name        = each.key
  kms_key_arn = each.value.encrypted ? aws_kms_key.ecr.arn : null
}

# Uses KMS, but with the AWS-managed key: nobody controls its policy.
resource "aws_ecr_repository_creation_template" "cache" {
  prefix               = "docker-hub"
  applied_for          = ["PULL_THROUGH_CACHE"]
  image_tag_mutability = "IMMUTABLE"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = "alias/aws/ecr"
  }
}
