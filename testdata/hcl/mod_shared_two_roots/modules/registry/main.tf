variable "environment" {
  type = string
}

variable "kms_key_arn" {
  type    = string
  default = null
}

resource "aws_ecr_repository" "app" {
  name = "${var.environment}/app"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = var.kms_key_arn
  }
}

resource "aws_ecr_repository" "cache" {
  name = "${var.environment}/cache"
}
