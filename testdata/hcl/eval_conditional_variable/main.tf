resource "aws_kms_key" "ecr" {
  description             = "Customer managed key for ECR images"
  deletion_window_in_days = 30
  enable_key_rotation     = true
}

resource "aws_kms_alias" "ecr" {
  name          = "alias/ecr-${var.environment}"
  target_key_id = aws_kms_key.ecr.key_id
}

resource "aws_ecr_repository" "images" {
  name = "${var.environment}/images"

  encryption_configuration {
    encryption_type = var.enable_cmk ? "KMS" : "AES256"
    kms_key         = var.enable_cmk ? aws_kms_key.ecr.arn : null
  }
}

resource "aws_ecr_repository" "releases" {
  name = "${var.environment}/releases"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = var.environment == "production" ? aws_kms_key.ecr.arn : null
  }
}

resource "aws_ecr_repository" "base" {
  name = "${var.environment}/base"

  encryption_configuration {
    encryption_type = var.environment != "production" ? "KMS" : "AES256"
    kms_key         = var.enable_cmk ? aws_kms_key.ecr.arn : aws_kms_alias.ecr.target_key_arn
  }
}
