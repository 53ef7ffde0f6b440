# A configuration whose bucket is a name computed from another bucket's (here "<app>-logs")
# configures some bucket whose name only apply knows, not aws_s3_bucket.app.
resource "aws_s3_bucket" "app" {}

resource "aws_s3_bucket_server_side_encryption_configuration" "logs" {
  bucket = "${aws_s3_bucket.app.id}-logs"
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

# The same through a function.
resource "aws_s3_bucket" "data" {}

resource "aws_s3_bucket_server_side_encryption_configuration" "data_copy" {
  bucket = replace(aws_s3_bucket.data.id, "data", "copy")
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}
