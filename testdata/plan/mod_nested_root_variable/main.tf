module "platform" {
  source = "./modules/platform"

  kms_key_arn    = var.ecr_kms_key_arn
  legacy_kms_key = var.legacy_kms_key
}
