resource "aws_ecr_repository" "aes" {
  name = "aes"
  encryption_configuration {
    encryption_type = "AES256"
  }
}

resource "aws_ecr_repository" "default_key" {
  name = "default-key"
  encryption_configuration {
    encryption_type = "KMS"
  }
}

resource "aws_ecr_repository" "managed" {
  name = "managed"
  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = "arn:aws:kms:eu-west-1:111122223333:alias/aws/ecr"
  }
}
