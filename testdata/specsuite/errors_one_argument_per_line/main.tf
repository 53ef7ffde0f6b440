locals {
  a = "first", b = "second"
}
