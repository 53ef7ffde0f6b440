module "registry" {
  source = "./modules/registry"
  count  = 2

  name = "team-${count.index}"
}
