module "kms" {
  source  = "terraform-aws-modules/kms/aws"
  version = "~> 3.1"

  description = "ECR images"
  aliases     = ["ecr/images"]
}

module "encryption_settings" {
  source = "git::https://github.com/acme-corp/terraform-ecr-settings.git?ref=v2.4.0"

  environment = "production"
}

resource "aws_ecr_repository" "images" {
  name = "images"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = module.kms.key_arn
  }
}

resource "aws_ecr_repository" "builds" {
  name = "builds"

  encryption_configuration {
    encryption_type = module.encryption_settings.encryption_type
    kms_key         = module.kms.key_arn
  }
}

resource "aws_ecr_repository" "scratch" {
  name = "scratch"
}
