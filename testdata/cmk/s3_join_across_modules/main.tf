# Buckets made in one module, default encryption in another, joined by the bucket's id
# passed through module outputs and variables.
resource "aws_kms_key" "data" {
  enable_key_rotation = true
}

module "buckets" {
  source   = "./modules/bucket"
  for_each = toset(["logs", "data", "raw"])
  name     = "acme-${each.key}"
}

# logs: SSE-S3. data: the customer key. raw: no configuration at all.
module "logs_encryption" {
  source    = "./modules/encryption"
  bucket_id = module.buckets["logs"].id
  algorithm = "AES256"
}

module "data_encryption" {
  source    = "./modules/encryption"
  bucket_id = module.buckets["data"].id
  algorithm = "aws:kms"
  key_arn   = aws_kms_key.data.arn
}

# A configuration that names a bucket of this root by its written-out name.
resource "aws_s3_bucket" "named" {
  bucket = "acme-named"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "named" {
  bucket = "acme-named"
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "aws:kms"
    }
  }
}
