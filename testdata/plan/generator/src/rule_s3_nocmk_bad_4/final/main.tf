data "aws_kms_alias" "s3" {
  name = "alias/aws/s3"
}

resource "aws_s3_bucket" "managed" {
  count  = 2
  bucket = "managed-${count.index}"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "managed" {
  count  = 2
  bucket = aws_s3_bucket.managed[count.index].id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = data.aws_kms_alias.s3.target_key_arn
    }
  }
}

resource "aws_s3_bucket" "alias_arn" {
  bucket = "alias-arn-bucket"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "alias_arn" {
  bucket = aws_s3_bucket.alias_arn.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = "arn:aws:kms:eu-west-1:111122223333:alias/aws/s3"
    }
  }
}
