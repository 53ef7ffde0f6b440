variable "name" { type = string }
variable "other" { type = string }
variable "kms" { type = string }
resource "aws_s3_bucket" "this" {
  bucket = var.name
}
output "bucket_id" { value = aws_s3_bucket.this.id }
resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  bucket = var.other
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = var.kms
    }
  }
}
