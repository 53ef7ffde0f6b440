resource "aws_kms_key" "templates" {
  description             = "Key for repositories created from templates"
  deletion_window_in_days = 30
  enable_key_rotation     = true
}

resource "aws_iam_role" "ecr_template" {
  name = "ecr-repository-template"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "ecr.amazonaws.com" }
    }]
  })
}

resource "aws_ecr_pull_through_cache_rule" "docker_hub" {
  ecr_repository_prefix = "docker-hub"
  upstream_registry_url = "registry-1.docker.io"
  credential_arn        = "arn:aws:secretsmanager:us-east-1:111122223333:secret:ecr-pullthroughcache/docker-hub"
}

resource "aws_ecr_repository_creation_template" "docker_hub" {
  prefix               = "docker-hub"
  description          = "Repositories created by the Docker Hub pull through cache"
  applied_for          = ["PULL_THROUGH_CACHE"]
  image_tag_mutability = "MUTABLE"
}

resource "aws_ecr_repository_creation_template" "ghcr" {
  prefix      = "ghcr"
  description = "Repositories created by the GHCR pull through cache"
  applied_for = ["PULL_THROUGH_CACHE"]

  encryption_configuration {
    encryption_type = "AES256"
  }
}

resource "aws_ecr_repository_creation_template" "quay" {
  prefix          = "quay"
  description     = "Repositories created by the Quay pull through cache"
  applied_for     = ["PULL_THROUGH_CACHE"]
  custom_role_arn = aws_iam_role.ecr_template.arn

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = aws_kms_key.templates.arn
  }
}

resource "aws_ecr_repository_creation_template" "root" {
  prefix      = "ROOT"
  description = "Default template for replicated repositories"
  applied_for = ["REPLICATION"]

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = "alias/aws/ecr"
  }
}
