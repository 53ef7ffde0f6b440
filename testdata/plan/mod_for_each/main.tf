resource "aws_kms_key" "shared" {
  description             = "Customer managed key shared by the team repositories"
  deletion_window_in_days = 30
  enable_key_rotation     = true
}

module "team" {
  source   = "./modules/repo"
  for_each = var.teams

  name        = "team-${each.key}"
  kms_key_arn = aws_kms_key.shared.arn
}

module "sandbox" {
  source   = "./modules/repo"
  for_each = toset(["alice", "bob"])

  name = "sandbox-${each.key}"
}
