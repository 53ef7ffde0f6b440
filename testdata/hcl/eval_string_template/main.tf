locals {
  key_id          = "1234abcd-12ab-34cd-56ef-1234567890ab"
  kms_family      = "KMS"
  dsse_suffix     = "_DSSE"
  managed_service = "ecr"
}

resource "aws_ecr_repository" "images" {
  name = "images"

  encryption_configuration {
    encryption_type = "${local.kms_family}${local.dsse_suffix}"
    kms_key         = "arn:aws:kms:${var.region}:${var.account_id}:key/${local.key_id}"
  }
}

resource "aws_ecr_repository" "charts" {
  name = "charts"

  encryption_configuration {
    encryption_type = local.kms_family
    kms_key         = "arn:aws:kms:${var.region}:${var.account_id}:alias/aws/${local.managed_service}"
  }
}

resource "aws_ecr_repository" "bundles" {
  name = "bundles"

  encryption_configuration {
    encryption_type = lower(local.kms_family)
    kms_key         = "arn:aws:kms:${var.region}:${var.account_id}:key/${local.key_id}"
  }
}
