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

resource "aws_ecr_repository" "ledger" {
  name = "ledger"

  encryption_configuration {
    encryption_type = "KMS_DSSE"
  }
}

resource "aws_ecr_repository" "profile" {
  name = "profile"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = null
  }
}

resource "aws_ecr_repository" "session" {
  name = "session"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = ""
  }
}

resource "aws_ecr_repository" "checkout" {
  name = "checkout"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = aws_kms_key.ecr.arn
  }
}
