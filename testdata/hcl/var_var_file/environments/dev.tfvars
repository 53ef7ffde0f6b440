encryption_type = "AES256"
billing_key_arn = "arn:aws:kms:eu-west-1:111122223333:key/0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9"
