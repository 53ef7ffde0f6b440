resource "aws_ecr_repository" "legacy" {
  name = "legacy"
}
