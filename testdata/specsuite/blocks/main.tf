resource "terraform_data" "empty_one_line" {}

resource "terraform_data" "empty_lines" {

}

resource "terraform_data" "one_line" { input = "on one line" }
