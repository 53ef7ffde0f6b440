variable "name" {
  description = "Repository name"
  type        = string
}

variable "kms_key_arn" {
  description = "KMS key for the repository; null means the AWS-managed aws/ecr key"
  type        = string
  default     = null
}
