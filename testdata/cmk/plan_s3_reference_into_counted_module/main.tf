# module.a's bucket has no encryption configuration at all
module "a" {
  source = "./mod"
  name   = "bucket-a"
}

module "logs" {
  source = "./mod"
  count  = 1
  name   = "bucket-logs"
}

resource "aws_kms_key" "k" {
  enable_key_rotation = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "logs" {
  bucket = module.logs[0].bucket_id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.k.arn
    }
  }
}
