variable "team" {
  type = string
}

variable "kms_key_arn" {
  type    = string
  default = null
}
