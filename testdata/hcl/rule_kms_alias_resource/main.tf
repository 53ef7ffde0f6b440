resource "aws_kms_key" "ecr" {
  description             = "Customer managed key for ECR images"
  deletion_window_in_days = 30
  enable_key_rotation     = true
}

resource "aws_kms_alias" "ecr" {
  name          = "alias/ecr-platform"
  target_key_id = aws_kms_key.ecr.key_id
}

resource "aws_ecr_repository" "platform_api" {
  name = "platform/api"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = aws_kms_alias.ecr.target_key_arn
  }
}

resource "aws_ecr_repository" "platform_ui" {
  name = "platform/ui"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = aws_kms_alias.ecr.arn
  }
}

resource "aws_ecr_repository" "platform_docs" {
  name = "platform/docs"

  encryption_configuration {
    encryption_type = "AES256"
    kms_key         = aws_kms_alias.ecr.target_key_arn
  }
}
