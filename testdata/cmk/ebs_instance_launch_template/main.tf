# Instances that launch from a launch template: the template describes the root volume only
# when it maps devices; otherwise the instance gets the AMI's root volume, as without one.

variable "template_id" {
  type = string
}

# Maps no device: the root volume is the AMI's.
resource "aws_launch_template" "bare" {
  name_prefix   = "bare-"
  image_id      = "ami-0123456789abcdef0"
  instance_type = "t3.micro"
}

resource "aws_instance" "by_id" {
  launch_template {
    id      = aws_launch_template.bare.id
    version = "$Latest"
  }
}

# The same template named by its written-out name.
resource "aws_launch_template" "named" {
  name          = "named-template"
  image_id      = "ami-0123456789abcdef0"
  instance_type = "t3.micro"
}

resource "aws_instance" "by_name" {
  launch_template {
    name = "named-template"
  }
}

# Maps the root device under a customer key: the template says what the root volume is.
resource "aws_kms_key" "ebs" {}

resource "aws_launch_template" "mapped" {
  name_prefix = "mapped-"
  image_id    = "ami-0123456789abcdef0"
  block_device_mappings {
    device_name = "/dev/xvda"
    ebs {
      encrypted  = "true"
      kms_key_id = aws_kms_key.ebs.arn
    }
  }
}

resource "aws_instance" "via_mapped" {
  launch_template {
    id = aws_launch_template.mapped.id
  }
}

# The instance's own root_block_device decides, whatever the template maps.
resource "aws_instance" "own_root" {
  launch_template {
    id = aws_launch_template.bare.id
  }
  root_block_device {
    encrypted  = true
    kms_key_id = aws_kms_key.ebs.arn
  }
}

# A template from outside this configuration: only apply knows what it maps.
resource "aws_instance" "outside_variable" {
  launch_template {
    id = var.template_id
  }
}

resource "aws_instance" "outside_literal" {
  launch_template {
    id = "lt-0123456789abcdef0"
  }
}

# One template per instance, by for_each key: each maps no device.
resource "aws_launch_template" "per_zone" {
  for_each    = toset(["a", "b"])
  name_prefix = "zone-${each.key}-"
  image_id    = "ami-0123456789abcdef0"
}

resource "aws_instance" "per_zone" {
  for_each = toset(["a", "b"])
  launch_template {
    id = aws_launch_template.per_zone[each.key].id
  }
}

# Which template an instance names is only known at apply (its for_each keys are).
variable "zones" {
  type = set(string)
}

resource "aws_instance" "per_unknown_zone" {
  for_each = var.zones
  launch_template {
    id = aws_launch_template.per_zone[each.key].id
  }
}

# A template made in a module, named through its output.
module "template" {
  source = "./template"
}

resource "aws_instance" "via_module" {
  launch_template {
    id = module.template.id
  }
}

# Values computed from a template's attributes name some other template, not that one:
# undecided, though aws_launch_template.base maps no device.
resource "aws_launch_template" "base" {
  name_prefix = "base-"
}

resource "aws_instance" "suffixed_name" {
  launch_template {
    name = "${aws_launch_template.base.name}-gpu"
  }
}

resource "aws_instance" "upper_name" {
  launch_template {
    name = upper(aws_launch_template.base.name)
  }
}

resource "aws_instance" "tag_as_name" {
  launch_template {
    name = aws_launch_template.base.tags_all["Peer"]
  }
}

# Maps only an instance store volume: the root volume is still the AMI's.
resource "aws_launch_template" "instance_store" {
  name_prefix = "store-"
  block_device_mappings {
    device_name  = "/dev/sdb"
    virtual_name = "ephemeral0"
  }
}

resource "aws_instance" "via_instance_store" {
  launch_template {
    id = aws_launch_template.instance_store.id
  }
}

variable "flavor" {
  type = string
}

resource "aws_instance" "formatted_name" {
  launch_template {
    name = format("%s-%s", aws_launch_template.base.name, var.flavor)
  }
}
