variable "teams" {
  type    = list(string)
  default = ["search", "ads"]
}
