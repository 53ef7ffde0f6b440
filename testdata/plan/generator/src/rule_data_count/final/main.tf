# Data sources with count: one instance per key, each read with its own count.index.
locals {
  keys = ["alias/aws/ecr", "alias/ecr-images"]
}

data "aws_kms_key" "k" {
  count  = length(local.keys)
  key_id = local.keys[count.index]
}

# count.index 0: the AWS-managed key.
resource "aws_ecr_repository" "managed" {
  name = "managed"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = data.aws_kms_key.k[0].arn
  }
}

# count.index 1: a customer alias.
resource "aws_ecr_repository" "customer" {
  name = "customer"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = data.aws_kms_key.k[1].arn
  }
}
