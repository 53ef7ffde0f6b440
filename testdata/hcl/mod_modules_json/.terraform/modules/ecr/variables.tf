variable "repository_name" {
  type = string
}

variable "encryption_type" {
  type    = string
  default = "KMS"
}

variable "kms_key_arn" {
  type    = string
  default = null
}

variable "create_pull_cache_repository" {
  type    = bool
  default = false
}
