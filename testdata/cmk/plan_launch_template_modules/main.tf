# A bare template in the root, named like the modules' templates.
resource "aws_launch_template" "this" {}

module "mapped" {
  source = "./template"
  mapped = true
}

module "bare" {
  source = "./template"
}

module "many" {
  source = "./template"
  count  = 2
}

resource "aws_instance" "via_mapped_module" {
  launch_template {
    id = module.mapped.id
  }
}

resource "aws_instance" "via_bare_module" {
  launch_template {
    id = module.bare.id
  }
}

resource "aws_instance" "via_counted_module" {
  launch_template {
    id = module.many[0].id
  }
}

module "user" {
  source      = "./user"
  template_id = aws_launch_template.this.id
}
