module "repository" {
  source = "./modules/repository"

  name            = var.repository_name
  encryption_type = var.encryption_type
  kms_key_arn     = var.kms_key_arn
}

resource "aws_ecr_repository" "pull_cache" {
  count = var.create_pull_cache_repository ? 1 : 0

  name = "${var.repository_name}-cache"
}

output "repository_url" {
  value = module.repository.repository_url
}
