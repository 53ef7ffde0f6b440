resource "aws_kms_key" "ecr" {
  description             = "Customer managed key for ECR images"
  deletion_window_in_days = 30
  enable_key_rotation     = true
}

locals {
  defaults = {
    encryption_type = "KMS"
    kms_key         = aws_kms_key.ecr.arn
  }

  team_overrides = {
    marketing = { encryption_type = "AES256" }
    research  = { kms_key = "alias/aws/ecr" }
    payments  = {}
  }

  repositories = { for team, o in local.team_overrides : team => merge(local.defaults, o) }
}

resource "aws_ecr_repository" "team" {
  for_each = local.repositories

  name = "${each.key}-images"

  encryption_configuration {
    encryption_type = each.value.encryption_type
    kms_key         = each.value.kms_key
  }
}
