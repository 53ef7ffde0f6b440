data "aws_kms_alias" "ecr" {
  name = "alias/aws/ecr"
}

resource "aws_ecr_repository_creation_template" "cache" {
  prefix      = "cache"
  applied_for = ["PULL_THROUGH_CACHE"]
  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = data.aws_kms_alias.ecr.target_key_arn
  }
}
