resource "aws_kms_key" "ecr" {
  description             = "Customer managed key for ECR images"
  deletion_window_in_days = 30
  enable_key_rotation     = true
}

locals {
  cmk_encryption = {
    primary = { type = "KMS", key = aws_kms_key.ecr.arn }
  }
  managed_encryption = {
    primary = { type = "KMS", key = "alias/aws/ecr" }
  }
}

resource "aws_ecr_repository" "ledger" {
  name = "ledger"

  dynamic "encryption_configuration" {
    for_each = local.cmk_encryption
    iterator = enc
    content {
      encryption_type = enc.value.type
      kms_key         = enc.value.key
    }
  }
}

resource "aws_ecr_repository" "journal" {
  name = "journal"

  dynamic "encryption_configuration" {
    for_each = local.managed_encryption
    iterator = enc
    content {
      encryption_type = enc.value.type
      kms_key         = enc.value.key
    }
  }
}

resource "aws_ecr_repository" "receipts" {
  name = "receipts"

  dynamic "encryption_configuration" {
    for_each = { KMS_DSSE = aws_kms_key.ecr.arn }
    iterator = cfg
    content {
      encryption_type = cfg.key
      kms_key         = cfg.value
    }
  }
}

resource "aws_ecr_repository" "drafts" {
  name = "drafts"

  dynamic "encryption_configuration" {
    for_each = { AES256 = "" }
    iterator = cfg
    content {
      encryption_type = cfg.key
    }
  }
}
