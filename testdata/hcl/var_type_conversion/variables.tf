variable "use_cmk" {
  type = bool
}

variable "key_index" {
  type = number
}

variable "key_arns" {
  type = list(string)
  default = [
    "arn:aws:kms:eu-west-1:111122223333:alias/aws/ecr",
    "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
  ]
}

variable "repository_names" {
  type = set(string)
}
