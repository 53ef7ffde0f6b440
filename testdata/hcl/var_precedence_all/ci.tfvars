varfile_over_auto = "AES256"
var_over_varfile  = "AES256"
