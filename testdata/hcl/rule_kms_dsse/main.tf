resource "aws_kms_key" "signing" {
  description             = "Dual-layer encryption key for signed images"
  deletion_window_in_days = 30
  enable_key_rotation     = true
}

resource "aws_ecr_repository" "scanner" {
  name = "security/scanner"

  encryption_configuration {
    encryption_type = "KMS_DSSE"
    kms_key         = aws_kms_key.signing.arn
  }
}

resource "aws_ecr_repository" "builder" {
  name = "security/builder"

  encryption_configuration {
    encryption_type = "KMS_DSSE"
    kms_key         = aws_kms_key.signing.key_id
  }
}

resource "aws_ecr_repository" "tracer" {
  name = "security/tracer"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = aws_kms_key.signing.id
  }
}

resource "aws_ecr_repository" "signer" {
  name = "security/signer"

  encryption_configuration {
    encryption_type = "KMS_DSSE"
    kms_key         = "alias/aws/ecr"
  }
}
