resource "aws_kms_key" "ecr" {
  description             = "Customer managed key for ECR images"
  deletion_window_in_days = 30
  enable_key_rotation     = true
}

locals {
  repositories   = { for s in var.services : s.name => s }
  payments_repos = { for name, s in local.repositories : name => s if s.team == "payments" }
}

resource "aws_ecr_repository" "service" {
  for_each = local.repositories

  name = "${each.value.team}/${each.key}"

  encryption_configuration {
    encryption_type = each.value.sensitive ? "KMS" : "AES256"
    kms_key         = each.value.sensitive ? aws_kms_key.ecr.arn : null
  }
}

resource "aws_ecr_repository" "payments_cache" {
  for_each = local.payments_repos

  name = "cache/${each.key}"

  encryption_configuration {
    encryption_type = "KMS"
  }
}
