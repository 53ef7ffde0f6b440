resource "aws_kms_key" "ecr" {
  description             = "Customer managed key for ECR images"
  deletion_window_in_days = 30
  enable_key_rotation     = true
}

module "team" {
  source = "./modules/team-registry"
  for_each = {
    api   = { kms_key_arn = aws_kms_key.ecr.arn, tools = 2 }
    batch = { kms_key_arn = null, tools = 1 }
  }

  team              = each.key
  kms_key_arn       = each.value.kms_key_arn
  tool_repositories = each.value.tools
}
