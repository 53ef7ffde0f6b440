resource "aws_kms_key" "ecr" {
  description             = "Customer managed key for ECR images"
  deletion_window_in_days = 30
  enable_key_rotation     = true
}

resource "random_shuffle" "regions" {
  input        = ["eu-west-1", "us-east-1", "ap-south-1"]
  result_count = 2
}

resource "aws_ecr_repository" "regional" {
  for_each = toset(random_shuffle.regions.result)

  name = "regional-${each.value}"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = "alias/aws/ecr"
  }
}

resource "aws_ecr_repository" "regional_keyed" {
  for_each = toset(random_shuffle.regions.result)

  name = "regional-keyed-${each.value}"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = each.value == "eu-west-1" ? aws_kms_key.ecr.arn : null
  }
}

resource "aws_ecr_repository" "regional_ok" {
  for_each = toset(random_shuffle.regions.result)

  name = "regional-ok-${each.value}"

  encryption_configuration {
    encryption_type = "KMS_DSSE"
    kms_key         = aws_kms_key.ecr.arn
  }
}
