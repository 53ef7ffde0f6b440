# tfcheck:ignore:ecr_nocmk
resource "aws_ecr_repository" "public_mirror" {
  name = "public-mirror"
}

resource "aws_ecr_repository" "internal" {
  name = "internal"
}

# tfcheck:ignore:ecr_nocmk
resource "aws_ecr_repository" "tools" {
  name = "tools"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = "alias/aws/ecr"
  }
}
