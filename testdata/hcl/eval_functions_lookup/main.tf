resource "aws_kms_key" "ecr" {
  description             = "Customer managed key for ECR images"
  deletion_window_in_days = 30
  enable_key_rotation     = true
}

locals {
  keys_by_environment = {
    production = aws_kms_key.ecr.arn
    staging    = aws_kms_key.ecr.arn
  }
}

resource "aws_ecr_repository" "portal" {
  name = "portal-${var.environment}"

  encryption_configuration {
    encryption_type = lookup(var.encryption_by_environment, var.environment, "AES256")
    kms_key         = aws_kms_key.ecr.arn
  }
}

resource "aws_ecr_repository" "portal_prod" {
  name = "portal-production"

  encryption_configuration {
    encryption_type = lookup(var.encryption_by_environment, "production", "AES256")
    kms_key         = aws_kms_key.ecr.arn
  }
}

resource "aws_ecr_repository" "console" {
  name = "console-${var.environment}"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = lookup(local.keys_by_environment, var.environment, "alias/aws/ecr")
  }
}
