module "buckets" {
  source   = "./bucket"
  for_each = toset(["logs", "data"])
  name     = "example-${each.key}"
}
