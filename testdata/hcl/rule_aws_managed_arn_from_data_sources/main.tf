locals {
  aws_managed_ecr_key = "arn:aws:kms:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:alias/aws/ecr"
}

resource "aws_ecr_repository" "app" {
  name = "app"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = "arn:aws:kms:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:alias/aws/ecr"
  }
}

resource "aws_ecr_repository" "worker" {
  name = "worker"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = "arn:${data.aws_partition.current.partition}:kms:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:alias/aws/ecr"
  }
}

resource "aws_ecr_repository" "scheduler" {
  name = "scheduler"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = local.aws_managed_ecr_key
  }
}

resource "aws_ecr_repository" "web" {
  name = "web"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = "arn:${data.aws_partition.current.partition}:kms:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:alias/web-images"
  }
}
