resource "terraform_data" "two" { input = "x", triggers_replace = "y" }
resource "terraform_data" "newline_close" { input = "x"
}
resource "terraform_data" "newline_then_more" { input = "x"
  triggers_replace = "y" }
resource "terraform_data" "newline_then_more_close" { input = "x"
  triggers_replace = "y"
}
resource "terraform_data" "nested" { lifecycle {} }
