locals {
  defaults = { scan = true, tags = { team = "platform" } }
}
