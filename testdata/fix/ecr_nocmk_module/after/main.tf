module "images" {
  source          = "./modules/ecr"
  name            = "images"
  encryption_type = "KMS"
  kms_key         = aws_kms_key.ecr.arn
}

resource "aws_kms_key" "ecr" {
  description         = "Customer-managed key for ECR (added by tfcheck fix)"
  enable_key_rotation = true
}

resource "aws_kms_alias" "ecr" {
  name_prefix   = "alias/ecr-"
  target_key_id = aws_kms_key.ecr.key_id
}
