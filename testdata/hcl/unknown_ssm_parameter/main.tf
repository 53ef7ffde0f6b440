data "aws_ssm_parameter" "ecr_key_arn" {
  name = "/platform/ecr/kms-key-arn"
}

data "aws_ssm_parameter" "ecr_alias_prefix" {
  name = "/platform/ecr/kms-alias-prefix"
}

data "aws_ssm_parameter" "ecr_encryption_type" {
  name = "/platform/ecr/encryption-type"
}

resource "aws_ecr_repository" "images" {
  name = "images"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = data.aws_ssm_parameter.ecr_key_arn.value
  }
}

resource "aws_ecr_repository" "charts" {
  name = "charts"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = nonsensitive(data.aws_ssm_parameter.ecr_key_arn.value)
  }
}

resource "aws_ecr_repository" "bundles" {
  name = "bundles"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = "${data.aws_ssm_parameter.ecr_alias_prefix.value}/ecr"
  }
}

resource "aws_ecr_repository" "layers" {
  name = "layers"

  encryption_configuration {
    encryption_type = data.aws_ssm_parameter.ecr_encryption_type.value
    kms_key         = data.aws_ssm_parameter.ecr_key_arn.value
  }
}

resource "aws_ecr_repository" "tools" {
  name = "tools"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = ""
  }
}
