resource "aws_kms_key" "ecr" {
  description             = "Customer managed key for ECR images"
  deletion_window_in_days = 30
  enable_key_rotation     = true
}

resource "aws_ecr_repository" "catalog" {
  name = "catalog"

  encryption_configuration {
    encryption_type = "AES256"
  }
}

resource "aws_ecr_repository" "reports" {
  name = "reports"
}

resource "aws_ecr_repository" "images" {
  name = "images"

  encryption_configuration {
    encryption_type = "AES256"
  }
}

resource "aws_ecr_repository" "events" {
  name = "events"
}
