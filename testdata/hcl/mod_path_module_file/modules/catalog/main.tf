variable "kms_key_arn" {
  type = string
}

resource "aws_ecr_repository" "this" {
  for_each = jsondecode(file("${path.module}/repositories.json"))

  name = "catalog/${each.key}"

  encryption_configuration {
    encryption_type = each.value
    kms_key         = var.kms_key_arn
  }
}
