encryption_type = "AES256"
