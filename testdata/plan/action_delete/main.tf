resource "aws_kms_key" "ecr" {
  description             = "Customer managed key for ECR images"
  deletion_window_in_days = 30
  enable_key_rotation     = true
}

resource "aws_ecr_repository" "keep" {
  name = "keep"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = aws_kms_key.ecr.arn
  }
}

resource "aws_ecr_repository" "scratch" {
  name = "scratch"
}

module "legacy" {
  source = "./modules/repo"
  count  = 0

  name = "legacy"
}
