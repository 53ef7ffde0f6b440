resource "aws_kms_key" "payments" {
  description             = "Payments images"
  deletion_window_in_days = 30
  enable_key_rotation     = true
}

module "payments" {
  source = "./modules/service"

  service     = "payments"
  kms_key_arn = aws_kms_key.payments.arn
}

module "sandbox" {
  source = "./modules/service"

  service = "sandbox"
}
