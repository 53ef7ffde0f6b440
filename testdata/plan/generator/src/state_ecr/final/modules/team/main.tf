variable "name" {
  type = string
}

resource "aws_ecr_repository" "this" {
  count = 2
  name  = "${var.name}-${count.index}"
}
