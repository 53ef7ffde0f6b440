variable "alias_name" {
  type = string
}

data "aws_ssm_parameter" "ecr_key_id" {
  name = "/platform/ecr/kms-key-id"
}

data "aws_kms_key" "from_ssm" {
  key_id = data.aws_ssm_parameter.ecr_key_id.value
}

data "aws_kms_alias" "by_name" {
  name = var.alias_name
}

resource "aws_ecr_repository" "models" {
  name = "models"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = data.aws_kms_key.from_ssm.arn
  }
}

resource "aws_ecr_repository" "datasets" {
  name = "datasets"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = data.aws_kms_alias.by_name.target_key_arn
  }
}

resource "aws_ecr_repository" "notebooks" {
  name = "notebooks"

  encryption_configuration {
    encryption_type = "AES256"
    kms_key         = data.aws_kms_key.from_ssm.arn
  }
}
