resource "aws_kms_key" "ecr" {
  description             = "Customer managed key for ECR images"
  deletion_window_in_days = 30
  enable_key_rotation     = true
}

module "orders_repo" {
  source = "./modules/ecr-repository"

  name        = "orders"
  kms_key_arn = aws_kms_key.ecr.arn
}

module "scratch_repo" {
  source = "./modules/ecr-repository"

  name = "scratch"
}

module "legacy_repo" {
  source = "./modules/ecr-repository"

  name            = "legacy"
  encryption_type = "AES256"
  kms_key_arn     = aws_kms_key.ecr.arn
}
