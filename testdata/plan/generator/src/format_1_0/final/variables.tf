variable "teams" {
  type    = set(string)
  default = ["api"]
}
