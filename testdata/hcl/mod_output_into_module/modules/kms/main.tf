resource "aws_kms_key" "this" {
  description         = "ECR images"
  enable_key_rotation = true
}

output "key_arn" {
  value = aws_kms_key.this.arn
}
