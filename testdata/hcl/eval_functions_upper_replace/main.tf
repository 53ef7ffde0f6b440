resource "aws_kms_key" "ecr" {
  description             = "Customer managed key for ECR images"
  deletion_window_in_days = 30
  enable_key_rotation     = true
}

resource "aws_ecr_repository" "vault" {
  name = "vault"

  encryption_configuration {
    encryption_type = upper(var.encryption_mode)
    kms_key         = aws_kms_key.ecr.arn
  }
}

resource "aws_ecr_repository" "kiosk" {
  name = "kiosk"

  encryption_configuration {
    encryption_type = upper(replace("kms-dsse", "-", "_"))
    kms_key         = aws_kms_key.ecr.arn
  }
}

resource "aws_ecr_repository" "stage" {
  name = "stage"

  encryption_configuration {
    encryption_type = replace(upper(var.encryption_mode), "_DSSE", "")
    kms_key         = var.key_alias_arn
  }
}

resource "aws_ecr_repository" "legacy" {
  name = "legacy"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = replace(var.key_alias_arn, "ecr-cmk", "aws/ecr")
  }
}

resource "aws_ecr_repository" "plain" {
  name = "plain"

  encryption_configuration {
    encryption_type = upper("aes256")
  }
}
