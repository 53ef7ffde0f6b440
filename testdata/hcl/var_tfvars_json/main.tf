resource "aws_kms_key" "ecr" {
  description             = "Customer managed key for ECR images"
  deletion_window_in_days = 30
  enable_key_rotation     = true
}

resource "aws_ecr_repository" "reports" {
  name = "reports"

  encryption_configuration {
    encryption_type = var.encryption_type
    kms_key         = var.kms_key_arn
  }
}

resource "aws_ecr_repository" "exports" {
  name = "exports"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = aws_kms_key.ecr.arn
  }
}
