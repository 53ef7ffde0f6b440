variable "organization_id" {
  type    = string
  default = "o-abc123"
}

resource "aws_ecr_repository" "app" {
  name = "app"
}

data "aws_iam_policy_document" "org" {
  statement {
    actions = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalOrgID"
      values   = [var.organization_id]
    }
  }
}

resource "aws_ecr_repository_policy" "org" {
  repository = aws_ecr_repository.app.name
  policy     = data.aws_iam_policy_document.org.json
}

resource "aws_ecr_registry_policy" "account" {
  policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::111122223333:root" }
      Action    = ["ecr:ReplicateImage"]
      Resource  = "*"
    }]
  })
}
