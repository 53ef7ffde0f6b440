# Repeated keys in a tfvars object: the last one wins.
repos = {
  api = { kms = true }
  web = { kms = true }
  web = { kms = false }
}
