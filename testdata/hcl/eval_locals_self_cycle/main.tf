resource "aws_kms_key" "ecr" {
  description             = "Customer managed key for ECR images"
  deletion_window_in_days = 30
  enable_key_rotation     = true
}

locals { image_encryption = local.image_encryption == null ? "KMS" : local.image_encryption }

resource "aws_ecr_repository" "reports" {
  name = "reports"

  encryption_configuration {
    encryption_type = local.image_encryption
    kms_key         = aws_kms_key.ecr.arn
  }
}

resource "aws_ecr_repository" "archive" {
  name = "archive"

  encryption_configuration {
    encryption_type = "AES256"
  }
}
