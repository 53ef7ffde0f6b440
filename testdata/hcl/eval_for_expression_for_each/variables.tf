variable "services" {
  type = list(object({
    name      = string
    team      = string
    sensitive = bool
  }))
  default = [
    { name = "checkout", team = "payments", sensitive = true },
    { name = "catalog", team = "shop", sensitive = false },
    { name = "ledger", team = "payments", sensitive = true },
  ]
}
