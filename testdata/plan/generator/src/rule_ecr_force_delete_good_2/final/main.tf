variable "environment" {
  type    = string
  default = "production"
}

resource "aws_ecr_repository" "app" {
  name         = "app"
  force_delete = var.environment == "sandbox"
}

resource "aws_ecr_repository" "default" {
  name = "default"
}
