resource "aws_ecr_repository" "this" {
  name = var.name

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = var.kms_key_arn
  }
}
