variable "encryption_type" {
  description = "Encryption type for the search repository"
  type        = string
  default     = null
}
