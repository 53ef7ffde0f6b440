resource "aws_kms_key" "ecr" {
  description         = "ECR images"
  enable_key_rotation = true
}

# Adding a customer-managed key to an existing repository replaces it: encryption settings
# are immutable.
resource "aws_ecr_repository" "api" {
  name = "api"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = aws_kms_key.ecr.arn
  }
}

# "legacy" was removed from the configuration: the plan deletes it.

resource "aws_ecr_repository" "web" {
  name                 = "web"
  image_tag_mutability = "IMMUTABLE"
}
