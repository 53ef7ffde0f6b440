resource "aws_kms_key" "ecr" {
  description             = "Customer managed key for ECR images"
  deletion_window_in_days = 30
  enable_key_rotation     = true
}

resource "aws_ecr_repository" "orders" {
  name = "orders"

  encryption_configuration {
    encryption_type = var.encryption_type
    kms_key         = aws_kms_key.ecr.arn
  }
}

resource "aws_ecr_repository" "payments" {
  name = "payments"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = var.kms_key_arn
  }
}

resource "aws_ecr_repository" "refunds" {
  name = "refunds"

  encryption_configuration {
    encryption_type = var.encryption_type
    kms_key         = var.kms_key_arn
  }
}

resource "aws_ecr_repository" "invoices" {
  name = "invoices"

  encryption_configuration {
    encryption_type = "KMS"
  }
}

resource "aws_ecr_repository" "ledger" {
  name = "ledger"

  encryption_configuration {
    encryption_type = "AES256"
    kms_key         = var.kms_key_arn
  }
}

resource "aws_ecr_repository" "scratch" {
  name = "scratch"
}
