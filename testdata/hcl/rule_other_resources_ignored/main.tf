data "aws_ecr_repository" "base_images" {
  name = "base-images"
}

resource "aws_ecrpublic_repository" "sdk" {
  repository_name = "sdk"

  catalog_data {
    description = "Public SDK images"
  }
}

resource "aws_ecr_repository" "notifications" {
  name = "notifications"
}

resource "aws_ecr_lifecycle_policy" "notifications" {
  repository = aws_ecr_repository.notifications.name
  policy = jsonencode({
    rules = [{
      rulePriority = 1
      description  = "Keep last 30 images"
      selection = {
        tagStatus   = "any"
        countType   = "imageCountMoreThan"
        countNumber = 30
      }
      action = { type = "expire" }
    }]
  })
}

resource "aws_ecr_registry_scanning_configuration" "this" {
  scan_type = "ENHANCED"

  rule {
    scan_frequency = "CONTINUOUS_SCAN"
    repository_filter {
      filter      = "*"
      filter_type = "WILDCARD"
    }
  }
}

resource "aws_ecr_replication_configuration" "dr" {
  replication_configuration {
    rule {
      destination {
        region      = "us-west-2"
        registry_id = "111122223333"
      }
    }
  }
}
