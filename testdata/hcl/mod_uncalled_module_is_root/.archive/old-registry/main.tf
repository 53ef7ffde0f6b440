resource "aws_ecr_repository" "old" {
  name = "old-registry"
}
