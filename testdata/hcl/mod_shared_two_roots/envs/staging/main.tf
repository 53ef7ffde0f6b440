module "registry_staging" {
  source = "../../modules/registry"

  environment = "staging"
}

resource "aws_ecr_repository" "debug" {
  name = "staging/debug"
}
