resource "aws_kms_key" "new" {
  description             = "ECR images, created in this apply"
  deletion_window_in_days = 30
  enable_key_rotation     = true
  multi_region            = true
}

resource "aws_kms_alias" "ecr" {
  name          = "alias/team-ecr"
  target_key_id = aws_kms_key.new.key_id
}

resource "aws_kms_replica_key" "ecr" {
  provider = aws.replica

  description             = "ECR images, replica in eu-central-1"
  deletion_window_in_days = 7
  primary_key_arn         = aws_kms_key.new.arn
}

resource "aws_ecr_repository" "api" {
  name = "api"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = aws_kms_key.new.arn
  }
}

resource "aws_ecr_repository" "worker" {
  name = "worker"

  encryption_configuration {
    encryption_type = "KMS_DSSE"
    kms_key         = aws_kms_key.new.key_id
  }
}

resource "aws_ecr_repository" "web" {
  name = "web"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = aws_kms_alias.ecr.arn
  }
}

resource "aws_ecr_repository" "admin" {
  name = "admin"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = aws_kms_alias.ecr.target_key_arn
  }
}

resource "aws_ecr_repository" "api_replica" {
  provider = aws.replica

  name = "api"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = aws_kms_replica_key.ecr.arn
  }
}

resource "aws_ecr_repository" "scratch" {
  name = "scratch"
}
