locals {
  prefix  = upper(substr(local.env, 0, 3))
  env     = "production"
  grouped = { for n in local.names : substr(n, -1, 1) => n... }
  merged  = merge(local.defaults, { extra = true })
}

resource "terraform_data" "grouped" {
  input = local.grouped
}

resource "terraform_data" "merged" {
  input = local.merged
}
