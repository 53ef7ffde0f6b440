variable "ecr_kms_key_arn" {
  description = "Customer managed key for the platform repositories"
  type        = string
}

variable "legacy_kms_key" {
  description = "Key of the legacy repository"
  type        = string
  default     = "alias/aws/ecr"
}
