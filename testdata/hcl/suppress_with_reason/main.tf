# tfcheck:ignore:ecr_nocmk public base images only, no customer data
resource "aws_ecr_repository" "base_images" {
  name = "base-images"
}

resource "aws_ecr_repository" "builder" {
  name = "builder"

  encryption_configuration {
    encryption_type = "AES256" # tfcheck:ignore:ecr_nocmk migrating to the platform CMK in INFRA-2211
  }
}

# tfcheck:ignore:ecr_nocmk mirrors of Docker Hub images, AWS-owned key accepted
# Owner: platform-team
resource "aws_ecr_repository" "dockerhub_mirror" {
  name = "dockerhub-mirror"
}

resource "aws_ecr_repository" "runtime" {
  name = "runtime"
}
