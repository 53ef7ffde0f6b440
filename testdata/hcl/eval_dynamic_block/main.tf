resource "aws_ecr_repository" "images" {
  name = "images"

  dynamic "encryption_configuration" {
    for_each = [var.kms_key_arn]
    content {
      encryption_type = "KMS"
      kms_key         = encryption_configuration.value
    }
  }
}

resource "aws_ecr_repository" "charts" {
  name = "charts"

  dynamic "encryption_configuration" {
    for_each = ["AES256"]
    content {
      encryption_type = encryption_configuration.value
    }
  }
}

resource "aws_ecr_repository" "bundles" {
  name = "bundles"

  dynamic "encryption_configuration" {
    for_each = [var.kms_key_arn]
    content {
      kms_key = encryption_configuration.value
    }
  }
}
