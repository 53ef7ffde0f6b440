variable "encryption_type" {
  description = "Encryption type of the reports repository"
  type        = string
  default     = "AES256"
}

variable "kms_key_arn" {
  description = "KMS key for the reports repository"
  type        = string
  default     = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
}
