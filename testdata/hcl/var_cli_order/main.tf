resource "aws_kms_key" "ecr" {
  description             = "Customer managed key for ECR images"
  deletion_window_in_days = 30
  enable_key_rotation     = true
}

resource "aws_ecr_repository" "archive" {
  name = "archive"

  encryption_configuration {
    encryption_type = var.archive_encryption
    kms_key         = aws_kms_key.ecr.arn
  }
}

resource "aws_ecr_repository" "cache" {
  name = "cache"

  encryption_configuration {
    encryption_type = var.cache_encryption
    kms_key         = aws_kms_key.ecr.arn
  }
}
