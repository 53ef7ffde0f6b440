variable "nonnull" {
  type     = string
  default  = "fallback"
  nullable = false
}

variable "nullable" {
  type    = string
  default = "fallback"
}

variable "settings" {
  type = object({
    name = string
    scan = optional(bool, true)
    rules = optional(list(object({
      action = string
      days   = optional(number, 30)
    })), [])
  })
}

variable "number" {
  type = number
}

resource "terraform_data" "here" {
  input = [var.nonnull, var.nullable, var.number]
}

output "all" {
  value = { nonnull = var.nonnull, nullable = var.nullable, settings = var.settings, number = var.number }
}
