resource "aws_kms_key" "ecr" {
  description             = "Customer managed key for ECR images"
  deletion_window_in_days = 30
  enable_key_rotation     = true
}

locals {
  is_production = terraform.workspace == "prod"
}

resource "aws_ecr_repository" "api" {
  name = "api-${terraform.workspace}"

  encryption_configuration {
    encryption_type = local.is_production ? "KMS" : "AES256"
    kms_key         = local.is_production ? aws_kms_key.ecr.arn : null
  }
}

resource "aws_ecr_repository" "web" {
  name = "web-${terraform.workspace}"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = terraform.workspace == "default" ? aws_kms_key.ecr.arn : "alias/aws/ecr"
  }
}

resource "aws_ecr_repository" "jobs" {
  name = "jobs-${terraform.workspace}"

  encryption_configuration {
    encryption_type = lookup({ prod = "KMS", staging = "KMS_DSSE" }, terraform.workspace, "AES256")
    kms_key         = aws_kms_key.ecr.arn
  }
}
