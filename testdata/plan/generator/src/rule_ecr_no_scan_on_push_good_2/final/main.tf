resource "aws_ecr_repository" "scanned" {
  name = "scanned"
  image_scanning_configuration {
    scan_on_push = true
  }
}

resource "aws_ecr_repository" "by_registry" {
  name = "apps/api"
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
