resource "aws_ecr_repository" "secure" {
  name = "secure"

  encryption_configuration {
    encryption_type = var.use_cmk ? "KMS" : "AES256"
    kms_key         = var.key_arns[var.key_index]
  }
}

resource "aws_ecr_repository" "fallback" {
  name = "fallback"

  encryption_configuration {
    encryption_type = var.use_cmk ? "KMS" : "AES256"
    kms_key         = var.key_arns[0]
  }
}

resource "aws_ecr_repository" "named" {
  for_each = var.repository_names

  name = each.key
}
