module "m" {
  source = "./bkt"
  for_each = toset(["a\"]b", "z"])
  name = "d1-${substr(md5(each.key),0,8)}"
}
resource "aws_s3_bucket_server_side_encryption_configuration" "c" {
  bucket = module.m["a\"]b"].bucket_id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}
