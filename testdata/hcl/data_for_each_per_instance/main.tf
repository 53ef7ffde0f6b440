locals {
  teams = {
    api  = { key = "alias/api-images" }
    data = { key = "alias/aws/ecr" }
  }
}

data "aws_kms_alias" "team" {
  for_each = local.teams
  name     = each.value.key
}

# One repository per team, each on its team's key: only "data" is on the AWS-managed key.
resource "aws_ecr_repository" "team" {
  for_each = local.teams
  name     = each.key
  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = data.aws_kms_alias.team[each.key].target_key_arn
  }
}
