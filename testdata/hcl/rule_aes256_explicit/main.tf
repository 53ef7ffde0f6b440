resource "aws_kms_key" "ecr" {
  description             = "Customer managed key for ECR images"
  deletion_window_in_days = 30
  enable_key_rotation     = true
}

resource "aws_ecr_repository" "build_cache" {
  name = "build-cache"

  encryption_configuration {
    encryption_type = "AES256"
  }
}

resource "aws_ecr_repository" "tools" {
  name = "tools"

  encryption_configuration {
    encryption_type = "AES256"
    kms_key         = "alias/aws/ecr"
  }
}

resource "aws_ecr_repository" "payments" {
  name = "payments"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = aws_kms_key.ecr.arn
  }
}
