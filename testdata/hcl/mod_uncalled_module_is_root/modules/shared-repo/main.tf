variable "kms_key_arn" {
  type = string
}

resource "aws_ecr_repository" "this" {
  name = "shared"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = var.kms_key_arn
  }
}
