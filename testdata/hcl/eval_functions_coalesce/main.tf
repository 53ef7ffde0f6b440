resource "aws_kms_key" "ecr" {
  description             = "Customer managed key for ECR images"
  deletion_window_in_days = 30
  enable_key_rotation     = true
}

resource "aws_ecr_repository" "events" {
  name = "events"

  encryption_configuration {
    encryption_type = coalesce(var.encryption_type_override, "KMS")
    kms_key         = coalesce(var.kms_key_arn, aws_kms_key.ecr.arn)
  }
}

resource "aws_ecr_repository" "exports" {
  name = "exports"

  encryption_configuration {
    encryption_type = coalesce(var.encryption_type_override, "AES256")
    kms_key         = coalesce(var.kms_key_arn, aws_kms_key.ecr.arn)
  }
}

resource "aws_ecr_repository" "imports" {
  name = "imports"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = coalesce(var.kms_key_arn, "alias/aws/ecr")
  }
}
