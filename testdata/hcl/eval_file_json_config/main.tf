resource "aws_kms_key" "ecr" {
  description             = "Customer managed key for ECR images"
  deletion_window_in_days = 30
  enable_key_rotation     = true
}

locals {
  ecr_config = jsondecode(file("${path.module}/config/ecr.json"))
}

resource "aws_ecr_repository" "configured" {
  for_each = local.ecr_config.repositories

  name = each.key

  encryption_configuration {
    encryption_type = each.value.encryption
    kms_key         = aws_kms_key.ecr.arn
  }
}
