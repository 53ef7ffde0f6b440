resource "aws_kms_key" "ecr" {
  description             = "Customer managed key for ECR images"
  deletion_window_in_days = 30
  enable_key_rotation     = true
}

resource "random_integer" "shards" {
  min = 1
  max = 4
}

resource "aws_ecr_repository" "shard" {
  count = random_integer.shards.result

  name = "shard-${count.index}"
}

resource "aws_ecr_repository" "shard_encrypted" {
  count = random_integer.shards.result

  name = "shard-encrypted-${count.index}"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = aws_kms_key.ecr.arn
  }
}

resource "aws_ecr_repository" "shard_mixed" {
  count = random_integer.shards.result

  name = "shard-mixed-${count.index}"

  encryption_configuration {
    encryption_type = count.index == 0 ? "KMS" : "AES256"
    kms_key         = aws_kms_key.ecr.arn
  }
}
