resource "aws_kms_key" "templates" {
  description             = "Key for repositories created from templates"
  deletion_window_in_days = 30
  enable_key_rotation     = true
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
  prefix      = "quay"
  description = "Repositories created by the Quay pull through cache"
  applied_for = ["PULL_THROUGH_CACHE"]

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = aws_kms_key.templates.arn
  }
}

resource "aws_ecr_repository_creation_template" "ecr_public" {
  prefix      = "ecr-public"
  description = "Repositories created by the ECR Public pull through cache"
  applied_for = ["PULL_THROUGH_CACHE"]

  encryption_configuration {
    encryption_type = "KMS"
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
