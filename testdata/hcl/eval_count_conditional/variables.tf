variable "create_cache_repository" {
  type    = bool
  default = true
}

variable "create_legacy_repository" {
  type    = bool
  default = false
}
