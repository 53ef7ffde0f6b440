resource "terraform_data" "after_comments" { input = "read" }
