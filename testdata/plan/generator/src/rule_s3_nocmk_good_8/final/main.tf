variable "kms_key_arn" {
  type = string
}

variable "bucket" {
  type = string
}

# The key is not known before apply: no finding.
resource "aws_s3_bucket" "unknown_key" {
  bucket = "unknown-key-bucket"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "unknown_key" {
  bucket = aws_s3_bucket.unknown_key.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = var.kms_key_arn
    }
  }
}

# Which bucket this configures is not known before apply: no finding on any bucket
# of the configuration.
resource "aws_s3_bucket_server_side_encryption_configuration" "unknown_bucket" {
  bucket = var.bucket
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}
