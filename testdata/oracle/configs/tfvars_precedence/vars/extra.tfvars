auto_vs_varfile  = "vars/extra.tfvars"
varfile_then_var = "vars/extra.tfvars"
var_then_varfile = "vars/extra.tfvars"
typed_number     = "12"
