variable "names" {
  type = list(string)
}

resource "terraform_data" "paths" {
  input = {
    module = path.module
    root   = path.root
    file   = trimspace(file("${path.module}/templates/value.txt"))
    exists = fileexists("${path.module}/templates/none.txt")
    set    = fileset(path.module, "templates/*")
  }
}

output "rendered" {
  value = templatefile("${path.module}/templates/policy.tftpl", { names = var.names })
}
