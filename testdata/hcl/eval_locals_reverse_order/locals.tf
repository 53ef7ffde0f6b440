locals {
  repositories = {
    for name in local.service_names : name => {
      encryption_type = local.default_encryption_type
      kms_key         = local.kms_key_arn
    }
  }
  kms_key_arn             = local.use_cmk ? aws_kms_key.ecr.arn : null
  default_encryption_type = local.use_cmk ? "KMS" : "AES256"
  service_names           = ["orders", "payments"]
  use_cmk                 = local.environment == "production"
  environment             = "production"
}
