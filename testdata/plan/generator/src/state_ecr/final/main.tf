# Deployed repositories on every kind of key, as a state records them.
resource "aws_kms_key" "ecr" {
  description         = "ECR images"
  enable_key_rotation = true
}

data "aws_kms_key" "aws_ecr" {
  key_id = "alias/aws/ecr"
}

data "aws_kms_key" "images" {
  key_id = "alias/ecr-images"
}

# No encryption block: AES256.
resource "aws_ecr_repository" "plain" {
  name = "plain"
}

resource "aws_ecr_repository" "aes" {
  name = "aes"
  encryption_configuration {
    encryption_type = "AES256"
  }
}

# KMS without a key: the state holds the ARN of the aws/ecr key, which only the
# data.aws_kms_key.aws_ecr lookup in this state identifies.
resource "aws_ecr_repository" "kms_default" {
  name = "kms-default"
  encryption_configuration {
    encryption_type = "KMS"
  }
}

resource "aws_ecr_repository" "managed_alias" {
  name = "managed-alias"
  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = "alias/aws/ecr"
  }
}

# A key this state creates: customer-managed.
resource "aws_ecr_repository" "own_key" {
  name = "own-key"
  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = aws_kms_key.ecr.arn
  }
}

# A customer key found by a lookup (key_manager CUSTOMER).
resource "aws_ecr_repository" "looked_up" {
  name = "looked-up"
  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = data.aws_kms_key.images.arn
  }
}

# A key ARN no resource or lookup in this state describes: not judged.
resource "aws_ecr_repository" "foreign_key" {
  name = "foreign-key"
  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = "arn:aws:kms:eu-west-1:444455556666:key/0f0e0d0c-0b0a-4908-8706-050403020100"
  }
}

module "team" {
  source   = "./modules/team"
  for_each = toset(["api", "web"])
  name     = each.key
}
