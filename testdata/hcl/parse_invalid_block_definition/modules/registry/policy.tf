resource "aws_ecr_repository_policy" "this" {
  repository = aws_ecr_repository.this.name
  policy     "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
}
