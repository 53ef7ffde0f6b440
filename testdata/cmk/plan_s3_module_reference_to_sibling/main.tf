resource "aws_kms_key" "k" {
  enable_key_rotation = true
}
module "a" {
  source   = "./a"
  for_each = toset(["x", "y"])
  name     = "c3-${each.key}"
  other    = module.a["y"].bucket_id
  kms      = aws_kms_key.k.arn
}
