variable "rotate" {
  type = bool
}

resource "aws_kms_key" "data" {
  description         = "data"
  enable_key_rotation = var.rotate
}

resource "aws_kms_key" "logs" {
  description         = "logs" # no rotation argument
  enable_key_rotation = true
}

resource "aws_ecr_repository" "cache" {
  name                 = "cache"
  image_tag_mutability = "IMMUTABLE"
  force_delete         = false

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = aws_kms_key.data.arn
  }

  image_scanning_configuration {
    scan_on_push = true
  }
}
