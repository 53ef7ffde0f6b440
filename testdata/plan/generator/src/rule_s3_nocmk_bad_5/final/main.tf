resource "aws_s3_bucket" "shared" {
  bucket = "shared-bucket"
}

# Only the first bucket gets a configuration: the second is not reported for it.
resource "aws_s3_bucket" "other" {
  bucket = "other-bucket"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "other" {
  bucket = aws_s3_bucket.other.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.data.arn
    }
  }
}

resource "aws_kms_key" "data" {
  enable_key_rotation = true
}

locals {
  algorithm = "AES256"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "shared" {
  bucket = aws_s3_bucket.shared.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = local.algorithm
    }
  }
}
