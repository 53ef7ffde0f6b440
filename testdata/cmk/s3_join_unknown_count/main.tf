variable "create" {
  type = bool
}

# How many buckets there are is only known at apply: the one instance tfcheck sees stands
# for all of them, and the configuration names instance [0].
resource "aws_s3_bucket" "storage" {
  count  = var.create ? 1 : 0
  bucket = "acme-storage"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "storage" {
  count  = var.create ? 1 : 0
  bucket = aws_s3_bucket.storage[0].id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "aws:kms"
    }
  }
}

# Known count: instance [1] has no configuration.
resource "aws_s3_bucket" "pair" {
  count  = 2
  bucket = "acme-pair-${count.index}"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "pair" {
  bucket = aws_s3_bucket.pair[0].id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    }
  }
}

# A configuration per bucket of a for_each not known before apply: it names the buckets of
# `buckets` only, so `plain` is still decided.
variable "names" {
  type = set(string)
}

resource "aws_s3_bucket" "buckets" {
  for_each = var.names
  bucket   = each.value
}

resource "aws_s3_bucket_server_side_encryption_configuration" "buckets" {
  for_each = aws_s3_bucket.buckets
  bucket   = each.value.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket" "plain" {
  bucket = "acme-plain"
}

# The same unknown count with a customer key in the configuration: instance [0] would be
# on the customer key, any other on SSE-S3; only apply can tell. No finding.
resource "aws_s3_bucket" "storage_cmk" {
  count  = var.create ? 1 : 0
  bucket = "acme-storage-cmk"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "storage_cmk" {
  count  = var.create ? 1 : 0
  bucket = aws_s3_bucket.storage_cmk[0].id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    }
  }
}
