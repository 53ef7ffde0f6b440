variable "kms_key_arn" {
  type = string
}

module "registry" {
  source = "./modules/registry"

  kms_key_arn = var.kms_key_arn
}
