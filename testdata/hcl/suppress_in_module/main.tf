resource "aws_kms_key" "ecr" {
  description             = "Customer managed key for ECR images"
  deletion_window_in_days = 30
  enable_key_rotation     = true
}

module "team" {
  source = "./modules/repo"
  count  = 2

  team            = count.index == 0 ? "search" : "ads"
  encryption_type = count.index == 0 ? "KMS" : "AES256"
  kms_key_arn     = aws_kms_key.ecr.arn
}

resource "aws_ecr_repository" "root_cache" {
  name = "root-cache"
}
