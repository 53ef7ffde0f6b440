variable "encryption_type" {
  type    = string
  default = "AES256"
}

resource "aws_ecr_repository" "this" {
  name = "legacy"

  encryption_configuration {
    encryption_type = var.encryption_type
  }
}
