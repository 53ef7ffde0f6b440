locals {
  color = "blue"
}

resource "terraform_data" "r" {
  input = { color = local.color, size = "m" }
}

resource "terraform_data" "s" {
  input = "unchanged"
}
