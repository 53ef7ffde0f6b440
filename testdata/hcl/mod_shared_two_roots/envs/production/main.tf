resource "aws_kms_key" "ecr" {
  description             = "Customer managed key for ECR images"
  deletion_window_in_days = 30
  enable_key_rotation     = true
}

module "registry_production" {
  source = "../../modules/registry"

  environment = "production"
  kms_key_arn = aws_kms_key.ecr.arn
}
