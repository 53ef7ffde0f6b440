resource "aws_ecr_repository" "images" {
  name = "team-images"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = "arn:aws:kms:eu-west-1:111122223333:${local.kms_alias_name}"
  }
}

resource "aws_ecr_repository" "thumbnails" {
  name = "team-thumbnails"
}
