env_vs_tfvars  = "terraform.tfvars"
tfvars_vs_json = "terraform.tfvars"
