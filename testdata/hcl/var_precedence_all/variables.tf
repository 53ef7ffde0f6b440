variable "only_default" {
  type    = string
  default = "AES256"
}

variable "env_over_default" {
  type    = string
  default = "AES256"
}

variable "tfvars_over_env" {
  type    = string
  default = "KMS"
}

variable "json_over_tfvars" {
  type    = string
  default = "AES256"
}

variable "auto_over_json" {
  type    = string
  default = "AES256"
}

variable "auto_lexical" {
  type    = string
  default = "AES256"
}

variable "varfile_over_auto" {
  type    = string
  default = "AES256"
}

variable "var_over_varfile" {
  type    = string
  default = "AES256"
}
