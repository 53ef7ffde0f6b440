variable "name" {
  type = string
}

variable "encryption_type" {
  type = string
}

variable "replicas" {
  type = number
}

variable "kms_key_arn" {
  type = string
}

resource "aws_ecr_repository" "this" {
  count = var.replicas

  name = "${var.name}-${count.index}"

  encryption_configuration {
    encryption_type = var.encryption_type
    kms_key         = var.kms_key_arn
  }
}
