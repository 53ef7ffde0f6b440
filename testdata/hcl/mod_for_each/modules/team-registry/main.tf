resource "aws_ecr_repository" "app" {
  name = "${var.team}/app"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = var.kms_key_arn
  }
}

resource "aws_ecr_repository" "tool" {
  count = var.tool_repositories

  name = "${var.team}/tool-${count.index}"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = var.kms_key_arn
  }
}
