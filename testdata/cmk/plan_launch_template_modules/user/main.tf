variable "template_id" {
  type = string
}

resource "aws_instance" "this" {
  launch_template {
    id = var.template_id
  }
}
