module "by_count" {
  source = "./mod"
  count  = 2
  name   = "c${count.index}"
}

module "by_key" {
  source   = "./mod"
  for_each = { x = 1, y = 2 }
  name     = "${each.key}${each.value}"
}

resource "terraform_data" "collected" {
  input = {
    splat  = module.by_count[*].name
    values = [for m in values(module.by_key) : m.name]
    keys   = keys(module.by_key)
    one    = module.by_key["y"].name
  }
}
