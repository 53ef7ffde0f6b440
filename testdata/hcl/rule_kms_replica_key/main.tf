resource "aws_kms_key" "primary" {
  description  = "Multi-region key for ECR"
  multi_region = true
}

resource "aws_kms_replica_key" "ecr_eu" {
  provider = aws.replica

  description     = "EU replica of the ECR key"
  primary_key_arn = aws_kms_key.primary.arn
}

resource "aws_ecr_repository" "eu_api" {
  provider = aws.replica

  name = "eu-api"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = aws_kms_replica_key.ecr_eu.arn
  }
}

resource "aws_ecr_repository" "eu_worker" {
  provider = aws.replica

  name = "eu-worker"

  encryption_configuration {
    encryption_type = "KMS"
  }
}
