# Repositories without a customer-managed key, in a module that has no key yet.
resource "aws_ecr_repository" "api" {
  name                 = "api"
  image_tag_mutability = "IMMUTABLE"

  image_scanning_configuration {
    scan_on_push = true
  }

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = aws_kms_key.ecr.arn
  }
}

resource "aws_ecr_repository" "worker" {
  name                 = "worker"
  image_tag_mutability = "IMMUTABLE"

  encryption_configuration {
    encryption_type = "KMS" # the default
    kms_key         = aws_kms_key.ecr.arn
  }

  image_scanning_configuration {
    scan_on_push = true
  }
}

resource "aws_kms_key" "ecr" {
  description         = "Customer-managed key for ECR (added by tfcheck fix)"
  enable_key_rotation = true
}

resource "aws_kms_alias" "ecr" {
  name_prefix   = "alias/ecr-"
  target_key_id = aws_kms_key.ecr.key_id
}
