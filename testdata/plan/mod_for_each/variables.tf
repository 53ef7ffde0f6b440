variable "teams" {
  description = "Teams that get a repository on the shared key"
  type        = set(string)
  default     = ["api", "web"]
}
