resource "aws_kms_key" "ecr" {
  description             = "Customer managed key for ECR images"
  deletion_window_in_days = 30
  enable_key_rotation     = true
}

locals {
  repo_settings = {
    api    = { encryption_type = "KMS", kms_key = aws_kms_key.ecr.arn }
    worker = { encryption_type = "KMS" }
    cron   = {}
  }
}

resource "aws_ecr_repository" "svc" {
  for_each = local.repo_settings

  name = "svc-${each.key}"

  encryption_configuration {
    encryption_type = try(each.value.encryption_type, "AES256")
    kms_key         = try(each.value.kms_key, null)
  }
}

resource "aws_ecr_repository" "shared" {
  name = "svc-shared"

  encryption_configuration {
    encryption_type = can(local.repo_settings.shared.encryption_type) ? local.repo_settings.shared.encryption_type : "AES256"
    kms_key         = aws_kms_key.ecr.arn
  }
}
