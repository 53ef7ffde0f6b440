resource "aws_kms_key" "ecr" {
  description             = "Customer managed key for ECR images"
  deletion_window_in_days = 30
  enable_key_rotation     = true
}

resource "aws_ecr_repository" "static_site" {
  name = "static-site"

  encryption_configuration {
    encryption_type = "AES256"
  }
}

resource "aws_ecr_repository" "orders" {
  name = "orders"

  encryption_configuration {
    kms_key = aws_kms_key.ecr.arn
  }
}

resource "aws_ecr_repository" "inventory" {
  name = "inventory"

  encryption_configuration {}
}

resource "aws_ecr_repository" "reports" {
  name = "reports"

  encryption_configuration {
    encryption_type = null
    kms_key         = aws_kms_key.ecr.arn
  }
}

resource "aws_ecr_repository" "shipping" {
  name = "shipping"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = aws_kms_key.ecr.arn
  }
}
