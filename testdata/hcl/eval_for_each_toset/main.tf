resource "aws_kms_key" "ecr" {
  description             = "Customer managed key for ECR images"
  deletion_window_in_days = 30
  enable_key_rotation     = true
}

resource "aws_ecr_repository" "mirror" {
  for_each = toset(["nginx", "redis", "postgres", "nginx"])

  name = "mirror/${each.value}"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = each.key == "postgres" ? aws_kms_key.ecr.arn : null
  }
}
