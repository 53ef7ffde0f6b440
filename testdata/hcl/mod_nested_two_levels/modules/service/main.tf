variable "service" {
  type = string
}

variable "kms_key_arn" {
  type    = string
  default = null
}

module "repo" {
  source = "../repository"

  name        = "${var.service}-app"
  kms_key_arn = var.kms_key_arn
}
