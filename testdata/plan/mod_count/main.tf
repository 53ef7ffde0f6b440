resource "aws_kms_key" "ecr" {
  description             = "Customer managed key for ECR images"
  deletion_window_in_days = 30
  enable_key_rotation     = true
}

module "team" {
  source = "./modules/registry"
  count  = length(var.teams)

  team        = var.teams[count.index]
  kms_key_arn = aws_kms_key.ecr.arn
}

module "legacy" {
  source = "./modules/registry"
  count  = 2

  team = "legacy-${count.index}"
}
