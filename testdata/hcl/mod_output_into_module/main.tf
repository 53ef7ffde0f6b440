module "kms" {
  source = "./modules/kms"
}

module "ecr_managed_key" {
  source = "./modules/key-lookup"

  alias_name = "alias/aws/ecr"
}

module "platform_key" {
  source = "./modules/key-lookup"

  alias_name = "alias/platform-ecr"
}

module "orders" {
  source = "./modules/repository"

  name        = "orders"
  kms_key_arn = module.kms.key_arn
}

module "returns" {
  source = "./modules/repository"

  name        = "returns"
  kms_key_arn = module.ecr_managed_key.target_key_arn
}

module "refunds" {
  source = "./modules/repository"

  name        = "refunds"
  kms_key_arn = module.platform_key.target_key_arn
}
