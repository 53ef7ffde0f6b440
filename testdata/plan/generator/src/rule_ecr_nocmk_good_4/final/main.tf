resource "aws_kms_key" "ecr" {
  enable_key_rotation = true
}

resource "aws_ecr_repository" "app" {
  name = "app"
  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = aws_kms_key.ecr.arn
  }
}

resource "aws_ecr_repository" "by_arn" {
  name = "by-arn"
  encryption_configuration {
    encryption_type = "KMS_DSSE"
    kms_key         = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  }
}
