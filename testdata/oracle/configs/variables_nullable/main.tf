module "defaults" {
  source   = "./mod"
  nonnull  = null
  nullable = null
  settings = { name = "given" }
  number   = "42"
}

module "given" {
  source   = "./mod"
  nonnull  = "set"
  nullable = "set"
  settings = { name = "given", rules = [{ action = "expire" }, { action = "keep", days = 3 }] }
  number   = 1.5
}

resource "terraform_data" "outputs" {
  input = { defaults = module.defaults.all, given = module.given.all }
}
