ecr_kms_key_arn = "arn:aws:kms:eu-west-1:111122223333:key/8c2f7e4a-93b1-4d6e-a0f5-7b9c1d3e5f24"
