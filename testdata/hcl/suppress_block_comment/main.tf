/* tfcheck:ignore:ecr_nocmk */
resource "aws_ecr_repository" "vendor" {
  name = "vendor"
}

resource "aws_ecr_repository" "partner" {
  name = "partner"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = null /* tfcheck:ignore:ecr_nocmk */
  }
}

resource "aws_ecr_repository" "customer" {
  name = "customer"
}
