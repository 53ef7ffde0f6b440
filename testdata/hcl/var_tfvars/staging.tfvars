encryption_type        = "AES256"
legacy_encryption_type = "KMS"
