resource "aws_kms_key" "ecr" {
  count = 1

  description         = "Search images"
  enable_key_rotation = true
}

resource "aws_kms_key" "archive" {
  count = var.enable_archive_key ? 1 : 0

  description         = "Search archive images"
  enable_key_rotation = true
}

resource "aws_ecr_repository" "service" {
  for_each = toset(var.repositories[*].name)

  name = each.key

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = one(aws_kms_key.ecr[*].arn)
  }
}

resource "aws_ecr_repository" "cache" {
  for_each = toset(var.repositories[*].team)

  name = "${each.key}-cache"
}

resource "aws_ecr_repository" "archive" {
  name = "search-archive"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = one(aws_kms_key.archive[*].arn)
  }
}

resource "aws_ecr_repository" "mirror" {
  name = "search-mirror"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = element(aws_kms_key.ecr[*].arn, 0)
  }
}
