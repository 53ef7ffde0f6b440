resource "aws_kms_key" "ecr" {
  description             = "Customer managed key for ECR images"
  deletion_window_in_days = 30
  enable_key_rotation     = true
}

resource "aws_ecr_repository" "catalog" {
  name = "catalog"

  encryption_configuration {
    encryption_type = "KMS"
  }
}

resource "aws_ecr_repository" "reports" {
  name = "reports-v2"
}

resource "aws_ecr_repository" "images" {
  name = "images-cmk"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = aws_kms_key.ecr.arn
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_ecr_repository" "events" {
  name = "events-v2"

  encryption_configuration {
    encryption_type = "KMS_DSSE"
  }

  lifecycle {
    create_before_destroy = true
  }
}
