module "tpl" {
  source = "./modules/tpl"
  names  = ["a", "b"]
}

resource "terraform_data" "root_paths" {
  input = { module = path.module, root = path.root, rendered = module.tpl.rendered }
}
