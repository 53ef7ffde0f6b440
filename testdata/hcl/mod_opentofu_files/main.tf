# Terraform reads this file; OpenTofu reads main.tofu instead.
resource "aws_ecr_repository" "terraform_only" {
  name = "terraform-only"
  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  }
}
