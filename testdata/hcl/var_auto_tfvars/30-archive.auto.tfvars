archive_type = "AES256"
