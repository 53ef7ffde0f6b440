resource "aws_ecr_repository" "plain" {
  name = "plain"
}
