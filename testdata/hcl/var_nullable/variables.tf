variable "strict_encryption_type" {
  type     = string
  default  = "KMS"
  nullable = false
}

variable "relaxed_encryption_type" {
  type    = string
  default = "KMS"
}
