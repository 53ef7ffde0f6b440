resource "aws_s3_bucket" "sse_s3" {
  bucket = "sse-s3-bucket"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "sse_s3" {
  bucket = aws_s3_bucket.sse_s3.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

# Named by its written-out name.
resource "aws_s3_bucket" "by_name" {
  bucket = "by-name-bucket"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "by_name" {
  bucket = "by-name-bucket"
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}
