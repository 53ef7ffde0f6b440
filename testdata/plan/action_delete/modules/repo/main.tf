resource "aws_ecr_repository" "this" {
  name = var.name

  encryption_configuration {
    encryption_type = "AES256"
  }
}
