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
}

resource "aws_lambda_function" "api" {
  function_name = "api"
  package_type  = "Image"
  image_uri     = "${aws_ecr_repository.api.repository_url}:v1"
  role          = "arn:aws:iam::111122223333:role/api"
}
