resource "aws_kms_key" "ecr" {
  description             = "Customer managed key for ECR images"
  deletion_window_in_days = 30
  enable_key_rotation     = true
}

locals {
  prod_encryption = jsondecode(templatefile("${path.module}/templates/encryption.json.tftpl", {
    environment = "prod"
    overrides   = { batch = "AES256", ml = "KMS_DSSE" }
  }))

  dev_encryption = jsondecode(templatefile("${path.module}/templates/encryption.json.tftpl", {
    environment = "dev"
    overrides   = {}
  }))
}

resource "aws_ecr_repository" "prod" {
  for_each = toset(["web", "batch", "ml"])

  name = "prod/${each.key}"

  encryption_configuration {
    encryption_type = lookup(local.prod_encryption, each.key, local.prod_encryption["_default"])
    kms_key         = aws_kms_key.ecr.arn
  }
}

resource "aws_ecr_repository" "dev" {
  name = "dev/web"

  encryption_configuration {
    encryption_type = local.dev_encryption["_default"]
    kms_key         = aws_kms_key.ecr.arn
  }
}
