# Terraform merges override files into the module after the primary files, in name order.
variable "env" {
  default = "prod"
}

locals {
  name = "override-${var.env}"
}
