resource "aws_kms_key" "ecr" {
  description             = "Customer managed key for ECR images"
  deletion_window_in_days = 30
  enable_key_rotation     = true
}

variable "enable_dr" {
  type    = bool
  default = false
}

module "primary_registry" {
  source = "./modules/registry"

  region_suffix = "primary"
  kms_key_arn   = aws_kms_key.ecr.arn
}

module "dr_registry" {
  source = "./modules/registry"
  count  = var.enable_dr ? 1 : 0

  region_suffix = "dr"
}

module "preview_registry" {
  source   = "./modules/registry"
  for_each = {}

  region_suffix = each.key
}
