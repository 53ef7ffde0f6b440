resource "aws_kms_key" "ecr" {
  description         = "ECR images"
  enable_key_rotation = true
}

resource "aws_ecr_repository" "api" {
  name = "api"
}

resource "aws_ecr_repository" "legacy" {
  name = "legacy"
}

resource "aws_ecr_repository" "web" {
  name                 = "web"
  image_tag_mutability = "MUTABLE"
}
