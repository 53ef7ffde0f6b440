strict_encryption_type  = null
relaxed_encryption_type = null
