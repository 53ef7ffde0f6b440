resource "aws_ecr_repository" "default" {
  name = "default"
}

resource "aws_ecr_repository" "mutable" {
  name                 = "mutable"
  image_tag_mutability = "MUTABLE"
}

resource "aws_ecr_repository_creation_template" "cache" {
  prefix      = "cache"
  applied_for = ["PULL_THROUGH_CACHE"]
}
