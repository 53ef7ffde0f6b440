variable "kms_key_arn" {
  type    = string
  default = null
}

variable "encryption_type_override" {
  type    = string
  default = ""
}
