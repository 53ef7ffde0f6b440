variable "kms_key_arn" {
  type = string
}

variable "services" {
  type = map(object({
    encryption_type = string
    replicas        = number
  }))
}

module "repo" {
  source   = "../repository"
  for_each = var.services

  name            = each.key
  encryption_type = each.value.encryption_type
  replicas        = each.value.replicas
  kms_key_arn     = var.kms_key_arn
}
