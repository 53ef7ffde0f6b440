resource "aws_ecr_repository" "app" {
  name = "${var.team}/app"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = var.kms_key_arn
  }
}

resource "aws_ecr_repository" "cache" {
  name = "${var.team}/cache"
}
