module "kms" {
  source = "./modules/kms"

  alias = "ecr-images"
}

module "aws_defaults" {
  source = "./modules/aws-defaults"
}

resource "aws_ecr_repository" "api" {
  name = "api"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = module.kms.key_arn
  }
}

resource "aws_ecr_repository" "web" {
  name = "web"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = module.kms.alias_arn
  }
}

resource "aws_ecr_repository" "tmp" {
  name = "tmp"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = module.aws_defaults.ecr_key_alias
  }
}

resource "aws_ecr_repository" "cache" {
  name = "cache"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = module.aws_defaults.ecr_key_arn
  }
}
