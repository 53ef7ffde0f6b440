resource "aws_kms_key" "ecr" {
  description             = "Customer managed key for ECR images"
  deletion_window_in_days = 30
  enable_key_rotation     = true
}

resource "aws_ecr_repository" "service" {
  for_each = local.repositories

  name = "${local.environment}/${each.key}"

  encryption_configuration {
    encryption_type = each.value.encryption_type
    kms_key         = each.value.kms_key
  }
}

resource "aws_ecr_repository" "sandbox" {
  name = local.sandbox_name

  encryption_configuration {
    encryption_type = local.sandbox_encryption
  }
}

locals {
  sandbox_encryption = local.sandbox_settings.encryption
  sandbox_settings   = { encryption = "AES256" }
  sandbox_name       = "sandbox-${local.environment}"
}
