resource "aws_ecr_repository" "gateway" {
  name = "gateway"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = "alias/aws/ecr"
  }
}

resource "aws_ecr_repository" "legacy_mirror" {
  name = "legacy-mirror"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = "arn:aws:kms:eu-west-1:111122223333:alias/aws/ecr"
  }
}

resource "aws_ecr_repository" "reporting" {
  name = "reporting"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  }
}

resource "aws_ecr_repository" "geo" {
  name = "geo"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = "arn:aws:kms:eu-west-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab"
  }
}

resource "aws_ecr_repository" "team_alias" {
  name = "team-alias"

  encryption_configuration {
    encryption_type = "KMS_DSSE"
    kms_key         = "arn:aws:kms:eu-west-1:111122223333:alias/team-ecr"
  }
}
