variable "alias_name" {
  type = string
}

data "aws_kms_alias" "this" {
  name = var.alias_name
}

output "target_key_arn" {
  value = data.aws_kms_alias.this.target_key_arn
}
