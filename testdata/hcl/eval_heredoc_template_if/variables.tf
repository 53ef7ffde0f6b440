variable "cmk_enabled" {
  type    = bool
  default = true
}

variable "legacy_mode" {
  type    = bool
  default = true
}
