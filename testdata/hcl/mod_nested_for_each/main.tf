resource "aws_kms_key" "ecr" {
  description             = "Customer managed key for ECR images"
  deletion_window_in_days = 30
  enable_key_rotation     = true
}

module "platform" {
  source = "./modules/platform"

  kms_key_arn = aws_kms_key.ecr.arn
  services = {
    api    = { encryption_type = "KMS", replicas = 1 }
    worker = { encryption_type = "AES256", replicas = 2 }
  }
}
