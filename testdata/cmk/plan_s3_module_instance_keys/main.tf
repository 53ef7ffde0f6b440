resource "aws_kms_key" "k" {
  enable_key_rotation = true
}
module "m" {
  source   = "./bkt"
  for_each = toset(["a", "b"])
  name     = "c1-${each.key}"
}
resource "aws_s3_bucket_server_side_encryption_configuration" "a" {
  bucket = module.m["a"].bucket_id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.k.arn
    }
  }
}
resource "aws_s3_bucket_server_side_encryption_configuration" "b" {
  bucket = module.m["b"].bucket_id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}
