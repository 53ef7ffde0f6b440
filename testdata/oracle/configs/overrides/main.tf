variable "env" {
  type    = string
  default = "dev"
}

locals {
  name = "base-${var.env}"
  keep = "kept"
}

resource "terraform_data" "target" {
  input = { name = local.name, keep = local.keep, env = var.env }
}

resource "terraform_data" "untouched" {
  input = local.keep
}
