variable "use_team_key" {
  type    = bool
  default = false
}

data "aws_kms_key" "team" {
  count  = var.use_team_key ? 1 : 0
  key_id = "alias/team"
}

# No instance: the index fails, try() falls back to null, and the AWS-managed key is used.
resource "aws_ecr_repository" "fallback" {
  name = "fallback"
  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = try(data.aws_kms_key.team[0].arn, null)
  }
}

# The same lookup with a customer key as the fallback passes.
resource "aws_ecr_repository" "own_fallback" {
  name = "own-fallback"
  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = try(data.aws_kms_key.team[0].arn, "alias/ecr-images")
  }
}
