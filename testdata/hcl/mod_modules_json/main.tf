resource "aws_kms_key" "ecr" {
  description             = "Customer managed key for ECR images"
  deletion_window_in_days = 30
  enable_key_rotation     = true
}

module "ecr" {
  source  = "acme-corp/ecr-repository/aws"
  version = "2.3.0"

  repository_name              = "checkout"
  kms_key_arn                  = aws_kms_key.ecr.arn
  create_pull_cache_repository = true
}

module "ecr_legacy" {
  source  = "acme-corp/ecr-repository/aws"
  version = "2.3.0"

  repository_name = "legacy-checkout"
  encryption_type = "AES256"
}

module "scanner" {
  source = "git::https://github.com/acme-corp/terraform-aws-scanner.git?ref=v1.0.0"
}

resource "aws_ecr_repository" "scanner_results" {
  name = "scanner-results"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = module.scanner.kms_key_arn
  }
}
