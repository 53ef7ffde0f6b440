resource "terraform_data" "literals" {
  input = {
    whole_number                = 7
    fractional_number           = 4.25
    fractional_number_precision = 2.71828182845904523536028747135266249775724709369995957496696762
    string_ascii                = "plain"
    string_unicode_bmp          = "Жи"
    string_unicode_astral       = "👩‍👩‍👧"
    string_unicode_nonnorm      = "mañana"
    "true"                      = true
    "false"                     = false
    "null"                      = null
  }
}
