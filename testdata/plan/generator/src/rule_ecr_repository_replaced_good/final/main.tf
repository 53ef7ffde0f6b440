resource "aws_kms_key" "ecr" {
  description         = "ECR images"
  enable_key_rotation = true
}

# A new repository next to the old one: images can be copied before anything is deleted.
resource "aws_ecr_repository" "api_v2" {
  name = "api-v2"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = aws_kms_key.ecr.arn
  }
}

resource "aws_ecr_repository" "api" {
  name = "api"
}

resource "aws_ecr_repository" "legacy" {
  name = "legacy"
}

# Changing tag mutability is an in-place update.
resource "aws_ecr_repository" "web" {
  name                 = "web"
  image_tag_mutability = "IMMUTABLE"
}
