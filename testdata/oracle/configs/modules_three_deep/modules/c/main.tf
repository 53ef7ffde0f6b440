variable "prefix" {
  type = string
}

variable "index" {
  type = number
}

variable "settings" {
  type = object({
    key     = optional(string, "alias/aws/ecr")
    enabled = optional(bool, true)
    tags    = optional(map(string), {})
  })
  default = {}
}

locals {
  value = "${var.prefix}/c${var.index}"
}

resource "terraform_data" "leaf" {
  input = { value = local.value, settings = var.settings }
}

output "value" {
  value = local.value
}

output "settings" {
  value = var.settings
}
