# The plan says api exists and images is new: images gets its fix without --unsafe-fixes, api
# gets a migration instead of an edit that would delete its images.
resource "aws_ecr_repository" "api" {
  name                 = "team/api"
  image_tag_mutability = "IMMUTABLE"

  image_scanning_configuration {
    scan_on_push = true
  }
}

resource "aws_ecr_repository" "images" {
  name                 = "images"
  image_tag_mutability = "IMMUTABLE"

  image_scanning_configuration {
    scan_on_push = true
  }

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = aws_kms_key.ecr.arn
  }
}

resource "aws_lambda_function" "api" {
  function_name = "api"
  package_type  = "Image"
  image_uri     = "${aws_ecr_repository.api.repository_url}:v1"
  role          = "arn:aws:iam::111122223333:role/api"
}

resource "aws_kms_key" "ecr" {
  description         = "Customer-managed key for ECR (added by tfcheck fix)"
  enable_key_rotation = true
}

resource "aws_kms_alias" "ecr" {
  name_prefix   = "alias/ecr-"
  target_key_id = aws_kms_key.ecr.key_id
}
