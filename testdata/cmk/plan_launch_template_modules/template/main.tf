variable "mapped" {
  type    = bool
  default = false
}

resource "aws_launch_template" "this" {
  dynamic "block_device_mappings" {
    for_each = var.mapped ? [1] : []
    content {
      device_name = "/dev/xvda"
      ebs {
        encrypted  = "true"
        kms_key_id = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
      }
    }
  }
}

output "id" {
  value = aws_launch_template.this.id
}
