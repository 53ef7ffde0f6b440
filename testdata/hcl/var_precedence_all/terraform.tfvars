tfvars_over_env  = "AES256"
json_over_tfvars = "AES256"
