locals {
  middle        = "Middle"
  spaced_middle = "  Middle"
}

resource "terraform_data" "normal" {
  input = {
    basic                     = <<EOT
First
Middle
Last
EOT
    indented                  = <<EOT
    First
    Middle
    Last
  EOT
    indented_more             = <<EOT
    First
      Middle
    Last
  EOT
    interp                    = <<EOT
    First
    ${local.middle}
    Last
  EOT
    newlines_between          = <<EOT
First

Middle

Last
EOT
    indented_newlines_between = <<EOT
    First

    Middle

    Last
  EOT
    marker_at_suffix          = <<EOT
    NOT EOT
  EOT
  }
}

resource "terraform_data" "flush" {
  input = {
    basic                     = <<-EOT
First
Middle
Last
EOT
    indented                  = <<-EOT
    First
    Middle
    Last
  EOT
    indented_more             = <<-EOT
    First
      Middle
    Last
  EOT
    indented_less             = <<-EOT
    First
  Middle
    Last
  EOT
    interp                    = <<-EOT
    First
    ${local.middle}
    Last
  EOT
    interp_indented_more      = <<-EOT
    First
      ${local.middle}
    Last
  EOT
    interp_indented_less      = <<-EOT
    First
  ${local.spaced_middle}
    Last
  EOT
    tabs                      = <<-EOT
	First
  Middle
  Last
  EOT
    newlines_between          = <<-EOT
First

Middle

Last
EOT
    indented_newlines_between = <<-EOT
    First

    Middle

    Last
  EOT
  }
}
resource "terraform_data" "unicode_spaces" {
  input = <<-EOT
      First, after two em spaces
    Middle
    Last
  EOT
}
