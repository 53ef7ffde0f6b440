resource "aws_ecr_repository" "commercial" {
  name = "commercial"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = "arn:aws:kms:us-east-1:123456789012:alias/aws/ecr"
  }
}

resource "aws_ecr_repository" "govcloud" {
  name = "govcloud"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = "arn:aws-us-gov:kms:us-gov-west-1:123456789012:alias/aws/ecr"
  }
}

resource "aws_ecr_repository" "china" {
  name = "china"

  encryption_configuration {
    encryption_type = "KMS_DSSE"
    kms_key         = "arn:aws-cn:kms:cn-north-1:123456789012:alias/aws/ecr"
  }
}

resource "aws_ecr_repository" "customer_alias" {
  name = "customer-alias"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = "arn:aws:kms:eu-west-1:111122223333:alias/ecr-cmk"
  }
}

resource "aws_ecr_repository" "customer_alias_gov" {
  name = "customer-alias-gov"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = "arn:aws-us-gov:kms:us-gov-east-1:123456789012:alias/platform/ecr"
  }
}
