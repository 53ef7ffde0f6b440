archive_encryption = "KMS"
cache_encryption   = "KMS"
