variable "region_suffix" {
  type = string
}

variable "kms_key_arn" {
  type    = string
  default = null
}

resource "aws_ecr_repository" "app" {
  name = "app-${var.region_suffix}"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = var.kms_key_arn
  }
}

resource "aws_ecr_repository" "cache" {
  name = "cache-${var.region_suffix}"
}
