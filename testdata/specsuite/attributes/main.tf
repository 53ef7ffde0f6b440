locals {
  first  = "the first value"
  second = "the second value"
  third  = "the third value"
}

resource "terraform_data" "attributes" {
  input = [local.first, local.second, local.third]
}
