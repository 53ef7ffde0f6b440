resource "aws_kms_key" "ecr" {
  description             = "Customer managed key for ECR images"
  deletion_window_in_days = 30
  enable_key_rotation     = true
}

resource "aws_ecr_repository" "strict" {
  name = "strict"

  encryption_configuration {
    encryption_type = var.strict_encryption_type
    kms_key         = aws_kms_key.ecr.arn
  }
}

resource "aws_ecr_repository" "relaxed" {
  name = "relaxed"

  encryption_configuration {
    encryption_type = var.relaxed_encryption_type
    kms_key         = aws_kms_key.ecr.arn
  }
}
