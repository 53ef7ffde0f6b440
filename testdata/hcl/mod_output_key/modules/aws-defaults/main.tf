data "aws_kms_alias" "ecr" {
  name = "alias/aws/ecr"
}

output "ecr_key_alias" {
  description = "AWS managed key used by ECR when no key is given"
  value       = "alias/aws/ecr"
}

output "ecr_key_arn" {
  value = data.aws_kms_alias.ecr.target_key_arn
}
