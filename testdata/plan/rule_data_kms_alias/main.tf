data "aws_kms_alias" "aws_managed_ecr" {
  name = "alias/aws/ecr"
}

data "aws_kms_alias" "team" {
  name = "alias/team-ecr"
}

resource "aws_ecr_repository" "registry_mirror" {
  name = "registry-mirror"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = data.aws_kms_alias.aws_managed_ecr.target_key_arn
  }
}

resource "aws_ecr_repository" "release" {
  name = "release"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = data.aws_kms_alias.aws_managed_ecr.arn
  }
}

resource "aws_ecr_repository" "builds" {
  name = "builds"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = data.aws_kms_alias.team.target_key_arn
  }
}

resource "aws_ecr_repository" "artifacts" {
  name = "artifacts"

  encryption_configuration {
    encryption_type = "KMS_DSSE"
    kms_key         = data.aws_kms_alias.team.arn
  }
}
