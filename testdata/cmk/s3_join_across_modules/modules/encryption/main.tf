variable "bucket_id" {
  type = string
}

variable "algorithm" {
  type = string
}

variable "key_arn" {
  type    = string
  default = null
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  bucket = var.bucket_id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = var.algorithm
      kms_master_key_id = var.key_arn
    }
  }
}
