resource "aws_launch_template" "this" {
  name_prefix = "module-"
  image_id    = "ami-0123456789abcdef0"
}

output "id" {
  value = aws_launch_template.this.id
}
