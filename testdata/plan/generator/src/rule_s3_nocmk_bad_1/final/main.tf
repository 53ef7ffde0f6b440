resource "aws_s3_bucket" "plain" {
  bucket = "plain-bucket"
}
