locals {
  base  = "images"
  names = [for i in range(3) : "${local.prefix}-${local.base}-${i}"]
}

resource "terraform_data" "names" {
  input = local.names
}
