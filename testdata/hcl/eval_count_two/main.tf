resource "aws_kms_key" "ecr" {
  description             = "Customer managed key for ECR images"
  deletion_window_in_days = 30
  enable_key_rotation     = true
}

resource "aws_ecr_repository" "shard" {
  count = 2

  name = "shard-${count.index}"

  encryption_configuration {
    encryption_type = count.index == 0 ? "KMS" : "AES256"
    kms_key         = aws_kms_key.ecr.arn
  }
}

resource "aws_ecr_repository" "replica" {
  count = 2

  name = "replica-${count.index}"
}
