variable "archive_encryption" {
  type    = string
  default = "AES256"
}

variable "cache_encryption" {
  type    = string
  default = "KMS"
}
