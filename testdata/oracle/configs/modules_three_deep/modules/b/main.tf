variable "prefix" {
  type = string
}

variable "item" {
  type = string
}

module "c" {
  source = "../c"
  count  = 2
  prefix = "${var.prefix}/b-${var.item}"
  index  = count.index
}

resource "terraform_data" "here" {
  input = module.c[*].value
}

output "chain" {
  value = join(",", module.c[*].value)
}

output "deepest" {
  value = module.c[1].settings
}
