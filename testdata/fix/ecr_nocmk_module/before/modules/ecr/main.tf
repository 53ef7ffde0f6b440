variable "name" {
  type = string
}

variable "encryption_type" {
  type    = string
  default = "AES256"
}

variable "kms_key" {
  type    = string
  default = null
}

resource "aws_ecr_repository" "this" {
  name                 = var.name
  image_tag_mutability = "IMMUTABLE"

  encryption_configuration {
    encryption_type = var.encryption_type
    kms_key         = var.kms_key
  }

  image_scanning_configuration {
    scan_on_push = true
  }
}
