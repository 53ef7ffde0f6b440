resource "aws_kms_key" "ecr" {
  description             = "Customer managed key for ECR images"
  deletion_window_in_days = 30
  enable_key_rotation     = true
}

resource "aws_ecr_repository" "mirrors" {
  count = 2

  name = "mirror-${count.index}"

  encryption_configuration {
    encryption_type = "AES256"
  }
}

resource "aws_ecr_repository" "teams" {
  for_each = toset(["api", "data"])

  name = "team-${each.key}"

  encryption_configuration {
    encryption_type = "KMS"
  }
}

resource "aws_ecr_repository" "services" {
  for_each = {
    auth    = "svc-auth"
    billing = "svc-billing"
  }

  name = each.value

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = aws_kms_key.ecr.arn
  }
}
