resource "aws_kms_key" "ecr" {
  description             = "Customer managed key for ECR images"
  deletion_window_in_days = 30
  enable_key_rotation     = true
}

module "team" {
  source   = "./modules/repo"
  for_each = var.teams

  name        = each.key
  kms_key_arn = aws_kms_key.ecr.arn
}

module "sandbox" {
  source = "./modules/repo"
  count  = 1

  name = "sandbox"
}
