resource "aws_kms_key" "ecr" {
  description             = "Customer managed key for ECR images"
  deletion_window_in_days = 30
  enable_key_rotation     = true
}

module "svc" {
  source   = "./modules/repo"
  for_each = toset(["billing", "search"])

  name = each.key
}

module "core" {
  source = "./modules/repo"
  count  = 1

  name        = "core"
  kms_key_arn = aws_kms_key.ecr.arn
}
