resource "aws_ecr_repository" "app" {
  name = "app"
}

resource "aws_ecr_repository_policy" "heredoc" {
  repository = aws_ecr_repository.app.name
  policy     = <<-JSON
    {
      "Version": "2012-10-17",
      "Statement": [{
        "Sid": "Public",
        "Effect": "Allow",
        "Principal": "*",
        "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
      }]
    }
  JSON
}

data "aws_iam_policy_document" "open" {
  statement {
    sid     = "AnyAccount"
    actions = ["ecr:*"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
  }
}

resource "aws_ecr_repository_policy" "document" {
  repository = aws_ecr_repository.app.name
  policy     = data.aws_iam_policy_document.open.json
}

resource "aws_ecr_registry_policy" "registry" {
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { AWS = "*" }, Action = ["ecr:ReplicateImage"], Resource = "*" }]
  })
}
