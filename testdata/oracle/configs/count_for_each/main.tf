variable "repos" {
  type = map(object({
    mutable = optional(bool, false)
    key     = optional(string)
  }))
  default = {
    api            = { key = "alias/api" }
    data           = { mutable = true }
    "web-frontend" = {}
  }
}

locals {
  names = sort(keys(var.repos))
}

resource "terraform_data" "each" {
  for_each = var.repos
  input    = { key = each.key, value = each.value, upper = upper(each.key) }
}

resource "terraform_data" "set" {
  for_each = toset(["b", "a"])
  input    = "${each.key}=${each.value}"
}

resource "terraform_data" "counted" {
  count = length(local.names)
  input = { i = count.index, name = local.names[count.index] }
}

resource "terraform_data" "none" {
  count = 0
  input = "never"
}

resource "terraform_data" "conditional" {
  count = var.repos["data"].mutable ? 1 : 0
  input = "created"
}

resource "terraform_data" "filtered" {
  for_each = { for k, v in var.repos : k => v if v.key != null }
  input    = each.value.key
}
