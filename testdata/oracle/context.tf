# Shared by every probe, in both configurations (Terraform's and tfcheck's).
variable "env" {
  type    = string
  default = "prod"
}

variable "teams" {
  type = map(object({
    key     = optional(string)
    mutable = optional(bool, false)
    tags    = optional(list(string), [])
  }))
  default = {
    api  = { key = "alias/api", tags = ["a", "b"] }
    data = { mutable = true }
  }
}

variable "nums" {
  type    = list(number)
  default = [3, 1, 2]
}

variable "maybe" {
  type    = string
  default = null
}

variable "set_of" {
  type    = set(string)
  default = ["b", "a", "b"]
}

locals {
  names   = ["alpha", "beta", "gamma"]
  obj     = { a = 1, b = "two", c = [true, false], d = { e = "f" } }
  empty   = []
  nested  = [[1, 2], [3], []]
  by_team = { for k, v in var.teams : k => v.mutable }
  tmpl    = "hi $${x}"
}

# For the generator (tests/it/oracle/grammar.rs): a list of objects to splat, a map of strings.
locals {
  objs = [{ a = 1, b = "x", key = "k1" }, { a = 2, b = "y", key = "k2" }]
  smap = { a = "1", b = "two", key = "alias/aws/ecr" }
}
