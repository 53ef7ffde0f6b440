module "images" {
  source = "../repo"

  name        = "platform/images"
  kms_key_arn = var.kms_key_arn
}

module "legacy" {
  source = "../repo"

  name        = "platform/legacy"
  kms_key_arn = var.legacy_kms_key
}
