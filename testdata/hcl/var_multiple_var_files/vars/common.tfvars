encryption_type = "KMS"
kms_key_arn     = "alias/aws/ecr"
scan_encryption = "KMS"
