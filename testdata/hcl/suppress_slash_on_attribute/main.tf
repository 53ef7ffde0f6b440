resource "aws_ecr_repository" "ci_cache" {
  name = "ci-cache"

  encryption_configuration {
    encryption_type = "AES256" // tfcheck:ignore:ecr_nocmk
  }
}

resource "aws_ecr_repository" "ci_tools" {
  name = "ci-tools"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = "alias/aws/ecr" // tfcheck:ignore:ecr_nocmk
  }
}

// tfcheck:ignore:ecr_nocmk
resource "aws_ecr_repository" "ci_scratch" {
  name = "ci-scratch"
}

resource "aws_ecr_repository" "ci_runner" {
  name = "ci-runner"

  encryption_configuration {
    encryption_type = "AES256"
  }
}
