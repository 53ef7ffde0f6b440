variable "encryption_mode" {
  type    = string
  default = "kms_dsse"
}

variable "key_alias_arn" {
  type    = string
  default = "arn:aws:kms:eu-west-1:111122223333:alias/ecr-cmk"
}
