module "a" {
  source = "./modules/a"
  prefix = "root"
  items  = ["x", "y"]
}

resource "terraform_data" "from_a" {
  input = module.a.chain
}

resource "terraform_data" "deepest" {
  input = module.a.deepest
}
