# A plan needs values for the variables; the example leaves them unknown. These keep it
# good: a customer key, and a bucket that is none of the configuration's.
kms_key_arn = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
bucket      = "bucket-of-another-stack"
