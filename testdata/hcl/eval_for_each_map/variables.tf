variable "repositories" {
  type = map(object({
    encryption_type = string
    kms_key_arn     = string
  }))
  default = {
    frontend = {
      encryption_type = "KMS"
      kms_key_arn     = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    }
    backend = {
      encryption_type = "AES256"
      kms_key_arn     = ""
    }
    jobs = {
      encryption_type = "KMS"
      kms_key_arn     = "arn:aws:kms:eu-west-1:111122223333:alias/aws/ecr"
    }
  }
}
