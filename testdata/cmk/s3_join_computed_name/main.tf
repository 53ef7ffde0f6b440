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

# A bucket with its own customer-key configuration, and a logs bucket named after it whose
# configuration names it by the same computed name.
resource "aws_kms_key" "s3" {}

resource "aws_s3_bucket" "keyed" {}

resource "aws_s3_bucket_server_side_encryption_configuration" "keyed" {
  bucket = aws_s3_bucket.keyed.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.s3.arn
    }
  }
}

resource "aws_s3_bucket" "keyed_logs" {
  bucket = "${aws_s3_bucket.keyed.id}-logs"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "keyed_logs" {
  bucket = "${aws_s3_bucket.keyed.id}-logs"
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

# Named by AWS at create: no computed name can be its name.
resource "aws_s3_bucket" "unrelated" {}

# Not computed: an element of a flattened list of ids is the id itself.
resource "aws_s3_bucket" "flat" {
  count = 1
}

locals {
  flat_ids = flatten([for b in aws_s3_bucket.flat : b.id])
}

resource "aws_s3_bucket_server_side_encryption_configuration" "flat" {
  bucket = local.flat_ids[0]
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.s3.arn
    }
  }
}
