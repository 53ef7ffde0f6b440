data "aws_kms_key" "k" {
  count  = 0
  key_id = "alias/mine"
}
resource "aws_ecr_repository" "r" {
  name = "r"
  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = one(data.aws_kms_key.k[*].arn)
  }
}
