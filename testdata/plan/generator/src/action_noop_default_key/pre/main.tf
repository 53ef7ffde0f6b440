resource "aws_ecr_repository" "orders" {
  name = "orders"

  encryption_configuration {
    encryption_type = "KMS"
  }
}

resource "aws_ecr_repository" "inventory" {
  name = "inventory"
}

resource "aws_ecr_repository" "search" {
  name = "search"

  encryption_configuration {
    encryption_type = "KMS"
  }
}

resource "aws_ecr_repository" "pinned" {
  name = "pinned"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  }
}
