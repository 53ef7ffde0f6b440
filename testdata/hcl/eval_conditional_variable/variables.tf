variable "enable_cmk" {
  description = "Encrypt repositories with the platform CMK"
  type        = bool
  default     = false
}

variable "environment" {
  type    = string
  default = "staging"
}
