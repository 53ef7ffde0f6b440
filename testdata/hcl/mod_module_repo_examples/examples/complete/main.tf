resource "aws_kms_key" "this" {
  description             = "Key for the complete example"
  deletion_window_in_days = 30
  enable_key_rotation     = true
}

module "ecr" {
  source = "../.."

  name        = "complete-example"
  kms_key_arn = aws_kms_key.this.arn
}
