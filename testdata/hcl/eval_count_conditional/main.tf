resource "aws_kms_key" "ecr" {
  description             = "Customer managed key for ECR images"
  deletion_window_in_days = 30
  enable_key_rotation     = true
}

resource "aws_ecr_repository" "cache" {
  count = var.create_cache_repository ? 1 : 0

  name = "build-cache"

  encryption_configuration {
    encryption_type = "KMS"
  }
}

resource "aws_ecr_repository" "legacy" {
  count = var.create_legacy_repository ? 1 : 0

  name = "legacy"
}

resource "aws_ecr_repository" "main" {
  count = var.create_cache_repository && !var.create_legacy_repository ? 2 : 0

  name = "main-${count.index}"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = aws_kms_key.ecr.arn
  }
}
