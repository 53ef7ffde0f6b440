variable "repositories" {
  type = list(object({
    name = string
    team = string
  }))
  default = [
    { name = "search-api", team = "search" },
    { name = "search-indexer", team = "search" },
  ]
}

variable "enable_archive_key" {
  type    = bool
  default = false
}
