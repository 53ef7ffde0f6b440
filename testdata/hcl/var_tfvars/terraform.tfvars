encryption_type        = "KMS_DSSE"
kms_key_arn            = "arn:aws:kms:eu-west-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab"
legacy_encryption_type = "AES256"
