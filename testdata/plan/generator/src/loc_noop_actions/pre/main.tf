resource "aws_kms_key" "ecr" {
  description             = "Customer managed key for ECR images"
  deletion_window_in_days = 30
  enable_key_rotation     = true
}

resource "aws_ecr_repository" "orders" {
  name = "orders"

  encryption_configuration {
    encryption_type = "KMS"
  }
}

resource "aws_ecr_repository" "archive" {
  name = "archive"
}

resource "aws_ecr_repository" "images" {
  name = "images"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = aws_kms_key.ecr.arn
  }
}

resource "aws_ecr_repository" "assets" {
  name = "assets"
}
