resource "terraform_data" "open" {
