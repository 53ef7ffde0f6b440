resource "aws_launch_template" "bare" {
  name_prefix = "bare-"
  image_id    = "ami-0123456789abcdef0"
}

resource "aws_instance" "new" {
  launch_template {
    id      = aws_launch_template.bare.id
    version = "$Latest"
  }
}

resource "aws_launch_template" "existing" {
  name_prefix = "existing-"
  image_id    = "ami-0123456789abcdef0"
}

resource "aws_instance" "existing" {
  launch_template {
    id = aws_launch_template.existing.id
  }
}

resource "aws_instance" "elsewhere" {
  launch_template {
    id = "lt-0fedcba9876543210"
  }
}
