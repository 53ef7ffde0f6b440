resource "terraform_data" "target" {
  input = { name = local.name, source = "z_override" }
}
