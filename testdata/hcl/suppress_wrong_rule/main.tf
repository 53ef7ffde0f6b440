# tfcheck:ignore:s3_nocmk
resource "aws_ecr_repository" "assets" {
  name = "assets"
}

resource "aws_ecr_repository" "media" {
  name = "media"

  encryption_configuration {
    encryption_type = "AES256" # tfcheck:ignore:ecr_scan_on_push
  }
}

# tfcheck:ignore:ecr_nocmk_strict
resource "aws_ecr_repository" "thumbnails" {
  name = "thumbnails"
}

# tfcheck:ignore:ecr_nocmk
resource "aws_ecr_repository" "avatars" {
  name = "avatars"
}
