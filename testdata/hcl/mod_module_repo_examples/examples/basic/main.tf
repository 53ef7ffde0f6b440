module "ecr_basic" {
  source = "../.."

  name = "basic-example"
}
