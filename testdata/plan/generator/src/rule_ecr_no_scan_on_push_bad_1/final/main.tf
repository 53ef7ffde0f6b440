resource "aws_ecr_repository" "none" {
  name = "none"
}

resource "aws_ecr_repository" "off" {
  name = "off"
  image_scanning_configuration {
    scan_on_push = false
  }
}

resource "aws_ecr_repository" "unmatched" {
  name = "tools/builder"
}

resource "aws_ecr_registry_scanning_configuration" "basic" {
  scan_type = "BASIC"
  rule {
    scan_frequency = "SCAN_ON_PUSH"
    repository_filter {
      filter      = "apps/*"
      filter_type = "WILDCARD"
    }
  }
}
