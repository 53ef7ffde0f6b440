variable "name" {
  description = "Repository name"
  type        = string
}

variable "encryption_type" {
  type    = string
  default = "KMS"
}

variable "kms_key_arn" {
  type    = string
  default = null
}
