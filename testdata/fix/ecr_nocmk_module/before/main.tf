module "images" {
  source          = "./modules/ecr"
  name            = "images"
  encryption_type = "AES256"
}
