variable "name" {
  type = string
}

variable "encryption_type" {
  type = string
}

variable "kms_key_arn" {
  type    = string
  default = null
}

resource "aws_ecr_repository" "this" {
  name = var.name

  encryption_configuration {
    encryption_type = var.encryption_type
    kms_key         = var.kms_key_arn
  }
}

output "repository_url" {
  value = aws_ecr_repository.this.repository_url
}
