# Each variable is set at some of the levels; the highest one wins:
# default < TF_VAR_ < terraform.tfvars < terraform.tfvars.json < *.auto.tfvars (name order)
# < -var-file and -var (command-line order).
variable "only_default" {
  default = "default"
}
variable "env_only" {
  default = "default"
}
variable "env_vs_tfvars" {
  default = "default"
}
variable "tfvars_vs_json" {
  default = "default"
}
variable "json_vs_auto" {
  default = "default"
}
variable "auto_order" {
  default = "default"
}
variable "auto_vs_varfile" {
  default = "default"
}
variable "varfile_then_var" {
  default = "default"
}
variable "var_then_varfile" {
  default = "default"
}
variable "env_list" {
  type    = list(number)
  default = []
}
variable "env_object" {
  type    = object({ a = string, b = optional(number, 7) })
  default = { a = "default" }
}
variable "typed_number" {
  type    = number
  default = 0
}

resource "terraform_data" "values" {
  input = {
    only_default     = var.only_default
    env_only         = var.env_only
    env_vs_tfvars    = var.env_vs_tfvars
    tfvars_vs_json   = var.tfvars_vs_json
    json_vs_auto     = var.json_vs_auto
    auto_order       = var.auto_order
    auto_vs_varfile  = var.auto_vs_varfile
    varfile_then_var = var.varfile_then_var
    var_then_varfile = var.var_then_varfile
    env_list         = var.env_list
    env_object       = var.env_object
    typed_number     = var.typed_number
  }
}
