variable "team" {
  type = string
}

variable "encryption_type" {
  type = string
}

variable "kms_key_arn" {
  type = string
}

# tfcheck:ignore:ecr_nocmk shared build cache, no customer images
resource "aws_ecr_repository" "cache" {
  name = "${var.team}-cache"
}

resource "aws_ecr_repository" "app" {
  name = "${var.team}-app"

  encryption_configuration {
    encryption_type = var.encryption_type # tfcheck:ignore:ecr_nocmk
    kms_key         = var.kms_key_arn
  }
}
