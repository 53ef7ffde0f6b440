variable "encryption_type" {
  description = "Set per environment by the pipeline"
  type        = string
}

variable "kms_key_arn" {
  description = "Set per environment by the pipeline"
  type        = string
}
