resource "aws_kms_key" "ecr" {
  description             = "Customer managed key for ECR images"
  deletion_window_in_days = 30
  enable_key_rotation     = true
}

module "team" {
  source = "./modules/team-registry"
  count  = length(var.teams)

  team        = var.teams[count.index]
  kms_key_arn = count.index == 0 ? aws_kms_key.ecr.arn : null
}
