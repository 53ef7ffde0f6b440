resource "aws_ecr_repository" "this" {
  for_each = var.repositories

  name = each.key

  image_scanning_configuration {
    scan_on_push = each.value.scan_on_push
  }

  encryption_configuration {
    encryption_type = each.value.encryption_type
    kms_key         = each.value.kms_key_arn
  }
}
