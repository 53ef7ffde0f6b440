# Data sources with for_each: each instance read with its own each.key.
data "aws_kms_key" "k" {
  for_each = toset(["alias/aws/ecr", "alias/ecr-images"])
  key_id   = each.key
}

resource "aws_ecr_repository" "managed" {
  name = "managed"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = data.aws_kms_key.k["alias/aws/ecr"].arn
  }
}

resource "aws_ecr_repository" "customer" {
  name = "customer"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = data.aws_kms_key.k["alias/ecr-images"].arn
  }
}
