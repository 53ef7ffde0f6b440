variable "repositories" {
  type = map(object({
    encryption_type = optional(string, "KMS")
    kms_key_arn     = optional(string)
    scan_on_push    = optional(bool, true)
  }))
}
