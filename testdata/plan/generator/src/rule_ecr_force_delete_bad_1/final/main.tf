resource "aws_ecr_repository" "scratch" {
  name         = "scratch"
  force_delete = true
}
