data "aws_kms_key" "k" {
  for_each = toset(["alias/aws/ecr"])
  key_id   = each.key
}
resource "aws_ecr_repository" "r" {
  name = "r"
  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = data.aws_kms_key.k["alias/aws/ecr"].arn
  }
}
