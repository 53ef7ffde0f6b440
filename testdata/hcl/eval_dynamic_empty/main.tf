resource "aws_kms_key" "ecr" {
  description             = "Customer managed key for ECR images"
  deletion_window_in_days = 30
  enable_key_rotation     = true
}

locals {
  encryption_settings = {
    primary = { enabled = false, key = aws_kms_key.ecr.arn }
  }
}

resource "aws_ecr_repository" "uploads" {
  name = "uploads"

  dynamic "encryption_configuration" {
    for_each = var.kms_key_arn == null ? [] : [var.kms_key_arn]
    content {
      encryption_type = "KMS"
      kms_key         = encryption_configuration.value
    }
  }
}

resource "aws_ecr_repository" "downloads" {
  name = "downloads"

  dynamic "encryption_configuration" {
    for_each = var.kms_key_arn[*]
    content {
      encryption_type = "KMS"
      kms_key         = encryption_configuration.value
    }
  }
}

resource "aws_ecr_repository" "exports" {
  name = "exports"

  dynamic "encryption_configuration" {
    for_each = { for k, v in local.encryption_settings : k => v if v.enabled }
    content {
      encryption_type = "KMS"
      kms_key         = encryption_configuration.value.key
    }
  }
}

resource "aws_ecr_repository" "imports" {
  name = "imports"

  dynamic "encryption_configuration" {
    for_each = { primary = aws_kms_key.ecr.arn }
    content {
      encryption_type = "KMS"
      kms_key         = encryption_configuration.value
    }
  }
}
