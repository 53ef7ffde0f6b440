resource "aws_kms_key" "ecr" {
  description             = "Customer managed key for ECR images"
  deletion_window_in_days = 30
  enable_key_rotation     = true
}

resource "aws_ecr_repository" "ingest" {
  name = "ingest"

  encryption_configuration {
    encryption_type = "kms"
    kms_key         = aws_kms_key.ecr.arn
  }
}

resource "aws_ecr_repository" "notify" {
  name = "notify"

  encryption_configuration {
    encryption_type = "SSE_KMS"
    kms_key         = aws_kms_key.ecr.arn
  }
}

resource "aws_ecr_repository" "audit" {
  name = "audit"

  encryption_configuration {
    encryption_type = "KMS_DSSE"
    kms_key         = aws_kms_key.ecr.arn
  }
}
