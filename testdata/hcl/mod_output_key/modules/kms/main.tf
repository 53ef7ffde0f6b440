variable "alias" {
  type = string
}

resource "aws_kms_key" "this" {
  description         = "Key for ${var.alias}"
  enable_key_rotation = true
}

resource "aws_kms_alias" "this" {
  name          = "alias/${var.alias}"
  target_key_id = aws_kms_key.this.key_id
}

output "key_arn" {
  value = aws_kms_key.this.arn
}

output "alias_arn" {
  value = aws_kms_alias.this.arn
}
