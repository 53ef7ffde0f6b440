resource "aws_kms_key" "ecr" {
  description             = "Customer managed key for ECR images"
  deletion_window_in_days = 30
  enable_key_rotation     = true
}

module "catalog" {
  source = "./modules/catalog"

  kms_key_arn = aws_kms_key.ecr.arn
}

resource "aws_ecr_repository" "mirror" {
  for_each = jsondecode(file("${path.module}/repositories.json"))

  name = "mirror/${each.key}"

  encryption_configuration {
    encryption_type = each.value
    kms_key         = aws_kms_key.ecr.arn
  }
}
