variable "kms_key_arn" {
  type = string
}

variable "legacy_kms_key" {
  type = string
}
