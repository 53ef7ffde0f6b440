resource "aws_s3_bucket" "default_key" {
  bucket = "default-key-bucket"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "default_key" {
  bucket = aws_s3_bucket.default_key.bucket
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "aws:kms"
    }
    bucket_key_enabled = true
  }
}

# The inline block of provider versions before 4.
resource "aws_s3_bucket" "legacy" {
  bucket = "legacy-bucket"
  server_side_encryption_configuration {
    rule {
      apply_server_side_encryption_by_default {
        sse_algorithm = "aws:kms"
      }
    }
  }
}
