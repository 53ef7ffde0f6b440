resource "aws_kms_key" "ecr" {
  description             = "Customer managed key for ECR images"
  deletion_window_in_days = 30
  enable_key_rotation     = true
}

module "app" {
  source = "./modules/app-repo"

  kms_key_arn = aws_kms_key.ecr.arn
}
