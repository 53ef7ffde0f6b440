resource "aws_kms_key" "default" {
  description = "no rotation argument"
}

resource "aws_kms_key" "off" {
  description         = "rotation off"
  enable_key_rotation = false
}
