resource "aws_kms_key" "ecr" {
  description             = "Customer managed key for ECR images"
  deletion_window_in_days = 30
  enable_key_rotation     = true
}

locals {
  extra_repositories = []
}

resource "aws_ecr_repository" "disabled" {
  count = 0

  name = "disabled"
}

resource "aws_ecr_repository" "extra" {
  count = length(local.extra_repositories)

  name = local.extra_repositories[count.index]
}

resource "aws_ecr_repository" "active" {
  name = "active"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = aws_kms_key.ecr.arn
  }
}

resource "aws_ecr_repository" "scratch" {
  name = "scratch"
}
