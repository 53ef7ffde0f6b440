encryption_type = "KMS"
kms_key_arn     = "alias/aws/ecr"
archive_type    = "KMS"
