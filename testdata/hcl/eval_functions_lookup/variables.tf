variable "environment" {
  type    = string
  default = "qa"
}

variable "encryption_by_environment" {
  type = map(string)
  default = {
    production = "KMS"
    staging    = "KMS"
  }
}
