variable "prefix" {
  type = string
}

variable "items" {
  type = list(string)
}

module "b" {
  source   = "../b"
  for_each = toset(var.items)
  prefix   = "${var.prefix}/a"
  item     = each.key
}

resource "terraform_data" "here" {
  input = { for k, m in module.b : k => m.chain }
}

output "chain" {
  value = [for k in sort(keys(module.b)) : module.b[k].chain]
}

output "deepest" {
  value = module.b["y"].deepest
}
