rule "ebs_nocmk" {
  title          = "EBS volume is not encrypted with a customer-managed KMS key"
  severity       = "medium"
  resource_types = ["aws_ebs_volume", "aws_instance", "aws_launch_template"]
  aliases        = ["CKV_AWS_189", "AVD-AWS-0027", "aws-ec2-volume-encryption-customer-key", "aws-ebs-encryption-customer-key", "CKV_AWS_3", "CKV_AWS_8", "AVD-AWS-0026", "aws-ec2-enable-volume-encryption", "AVD-AWS-0131", "aws-ec2-enable-at-rest-encryption"]
  tags           = ["security", "encryption", "kms", "cmk", "ebs"]
  family         = "cmk"
  compliance = {
    "PCI DSS 4.0"    = ["3.5.1", "3.6.1"]
    "HIPAA"          = ["164.312(a)(2)(iv)", "164.312(e)(2)(ii)"]
    "SOC 2"          = ["CC6.1", "CC6.7"]
    "NIST 800-53 r5" = ["SC-12", "SC-28"]
  }
  references = [
    "https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html",
    "https://docs.aws.amazon.com/ebs/latest/userguide/encryption-by-default.html",
    "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/ebs_volume#kms_key_id",
    "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/instance#ebs-ephemeral-and-root-block-devices",
    "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/launch_template#ebs",
    "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/ebs_default_kms_key",
    "https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-mgmt",
  ]

  locals {
    lt   = resource_type == "aws_launch_template"
    inst = resource_type == "aws_instance"
    vol  = resource_type == "aws_ebs_volume"

    # The account's defaults, when this configuration sets them: encryption by default
    # (`enabled` defaults to true) and the default key.
    default_on       = anytrue([for e in resources("aws_ebs_encryption_by_default") : e.enabled != false])
    default_keys     = [for k in resources("aws_ebs_default_kms_key") : k.key_arn]
    default_customer = length(local.default_keys) > 0 && alltrue([for k in local.default_keys : kms_key_owner(k) == "customer"])
    default_key      = local.default_customer ? "the customer key set by aws_ebs_default_kms_key" : "the account's default EBS key (aws/ebs unless aws_ebs_default_kms_key changed it)"

    # Every volume as { enc, key, src }: src says where an encrypted source could give it its
    # own key (a snapshot, the AMI), null for a blank volume.
    vol_devs = local.vol ? [{
      enc = resource.encrypted
      key = resource.kms_key_id
      src = contains(["null", "\"\""], describe(resource.snapshot_id)) ? null : startswith(describe(resource.snapshot_id), "evaluation error") ? "its snapshot" : "snapshot ${describe(resource.snapshot_id)}"
    }] : []
    # The launch template the instance launches from, by id or name: unknown when it is
    # made outside this configuration.
    lt_by_id   = local.inst && length(resource.launch_template) > 0 ? referenced("aws_launch_template", resource.launch_template[0].id, "id") : null
    lt_by_name = local.inst && length(resource.launch_template) > 0 ? referenced("aws_launch_template", resource.launch_template[0].name, "name") : null
    template   = local.lt_by_id != null ? local.lt_by_id : local.lt_by_name
    # Its EBS mappings: an instance store volume is never the root.
    template_ebs = local.template == null ? [] : [for m in local.template.resource.block_device_mappings : m if length(m.ebs) > 0]
    # The root volume, also when there is no root_block_device block, unless the launch
    # template maps EBS devices (which of them is the root depends on the AMI; the
    # template's own mappings are checked on the template).
    root_devs = local.inst ? (length(resource.root_block_device) > 0
      ? [for d in resource.root_block_device : { enc = d.encrypted, key = d.kms_key_id, src = "the AMI's snapshot" }]
      : ((local.template == null ? true : length(local.template_ebs) == 0) ? [{ enc = null, key = null, src = "the AMI's snapshot" }] : [])) : []
    ebs_devs = local.inst ? [
      for d in resource.ebs_block_device : {
        enc = d.encrypted
        key = d.kms_key_id
        src = contains(["null", "\"\""], describe(d.snapshot_id)) ? null : startswith(describe(d.snapshot_id), "evaluation error") ? "its snapshot" : "snapshot ${describe(d.snapshot_id)}"
      }
    ] : []
    # Launch templates: `encrypted` is a string ("true" / "false") there.
    lt_devs = local.lt ? [
      for m in resource.block_device_mappings : {
        enc = try(m.ebs[0].encrypted == null ? null : tostring(m.ebs[0].encrypted) == "true", null)
        key = try(m.ebs[0].kms_key_id, null)
        src = contains(["null", "\"\""], describe(try(m.ebs[0].snapshot_id, null))) ? "the AMI's snapshot" : startswith(describe(m.ebs[0].snapshot_id), "evaluation error") ? "its snapshot" : "snapshot ${describe(m.ebs[0].snapshot_id)}"
        ebs = length(m.ebs) > 0
      }
    ] : []

    # A volume is on a customer key when it names one, or names none and falls to a
    # customer default key set here (it is encrypted, or encryption by default is on).
    vol_bad = [for i, d in local.vol_devs : i if !(kms_key_owner(d.key) == "customer" || (kms_key_owner(d.key) == "none" && local.default_customer && (d.enc == true || local.default_on)))]
    root_bad = [for i, d in local.root_devs : i if !(kms_key_owner(d.key) == "customer" || (kms_key_owner(d.key) == "none" && local.default_customer && (d.enc == true || local.default_on)))]
    ebs_bad = [for i, d in local.ebs_devs : i if !(kms_key_owner(d.key) == "customer" || (kms_key_owner(d.key) == "none" && local.default_customer && (d.enc == true || local.default_on)))]
    lt_bad = [for i, d in local.lt_devs : i if d.ebs && !(kms_key_owner(d.key) == "customer" || (kms_key_owner(d.key) == "none" && local.default_customer && (d.enc == true || local.default_on)))]

    # What an unencrypted-or-default volume ends up under, by its `encrypted`.
    unencrypted = local.default_on ? "encryption by default puts the volume under ${local.default_key}" : "the volume is unencrypted, or under ${local.default_key} when the account encrypts EBS volumes by default"

    vd = try(local.vol_devs[local.vol_bad[0]], null)
    rd = try(local.root_devs[local.root_bad[0]], null)
    ed = try(local.ebs_devs[local.ebs_bad[0]], null)
    ld = try(local.lt_devs[local.lt_bad[0]], null)
  }

  # Checks run in order; the first one that is false is the finding. A check whose
  # condition cannot be known before apply finds nothing by itself (docs/writing-rules.md).
  check {
    condition = length(local.vol_bad) == 0
    at        = resource.kms_key_id
    message = (kms_key_owner(local.vd.key) == "aws"
      ? "kms_key_id ${describe(local.vd.key)} is the AWS-managed key aws/ebs, whose policy nobody can edit"
      : local.vd.src != null
      ? "kms_key_id is not set: the volume made from ${local.vd.src} keeps that snapshot's key if it is encrypted; otherwise ${describe(local.vd.enc) == "true" ? "it is under ${local.default_key}" : local.unencrypted}"
      : describe(local.vd.enc) == "true"
      ? "encrypted is true but kms_key_id is not set: EC2 uses ${local.default_key}"
      : "encrypted is ${describe(local.vd.enc) == "null" ? "not set" : describe(local.vd.enc)}: ${local.unencrypted}")
    fix {
      applicability = "unsafe"
      replaces      = true
      note          = "Encryption cannot change in place: for a volume that already exists, Terraform replaces it, and its data is lost. Apply it to volumes the plan creates; for the others, snapshot the volume, copy the snapshot with the key, and create the volume from the copy."
      set {
        encrypted  = true
        kms_key_id = key.arn
      }
    }
  }
  check {
    condition = length(local.root_bad) == 0
    at        = resource.root_block_device[0].kms_key_id
    message = (length(resource.root_block_device) == 0 && local.template != null
      ? "no root_block_device, and the launch template ${local.template.address} maps no EBS device: the root volume keeps the key of the AMI's snapshot if it is encrypted; otherwise ${local.unencrypted}"
      : length(resource.root_block_device) == 0
      ? "no root_block_device: the root volume keeps the key of the AMI's snapshot if it is encrypted; otherwise ${local.unencrypted}"
      : kms_key_owner(local.rd.key) == "aws"
      ? "root_block_device: kms_key_id ${describe(local.rd.key)} is the AWS-managed key aws/ebs, whose policy nobody can edit"
      : describe(local.rd.enc) == "true"
      ? "root_block_device sets encrypted = true without kms_key_id: the root volume is under the AMI's own key if its snapshot is encrypted, otherwise under ${local.default_key}"
      : "root_block_device sets ${describe(local.rd.enc) == "null" ? "no encrypted" : "encrypted = ${describe(local.rd.enc)}"} and no kms_key_id: the root volume keeps the key of the AMI's snapshot if it is encrypted; otherwise ${local.unencrypted}")
    fix {
      applicability = "unsafe"
      replaces      = true
      note          = "The root volume's encryption cannot change in place: for an instance that already exists, Terraform replaces the instance, losing its root volume and instance store. Apply it to instances the plan creates; migrate the others (an encrypted copy of an AMI of the instance)."
      set {
        root_block_device {
          encrypted  = true
          kms_key_id = key.arn
        }
      }
    }
  }
  # No fix for the lists of devices below: which device to edit is not fixed text.
  check {
    condition = length(local.ebs_bad) == 0
    at        = resource.ebs_block_device[local.ebs_bad[0]].kms_key_id
    message = "ebs_block_device ${describe(resource.ebs_block_device[local.ebs_bad[0]].device_name)}: ${kms_key_owner(local.ed.key) == "aws"
      ? "kms_key_id ${describe(local.ed.key)} is the AWS-managed key aws/ebs, whose policy nobody can edit"
      : local.ed.src != null
      ? "kms_key_id is not set: the volume made from ${local.ed.src} keeps that snapshot's key if it is encrypted; otherwise ${describe(local.ed.enc) == "true" ? "it is under ${local.default_key}" : local.unencrypted}"
      : describe(local.ed.enc) == "true"
      ? "encrypted is true but kms_key_id is not set: EC2 uses ${local.default_key}"
    : "encrypted is ${describe(local.ed.enc) == "null" ? "not set" : describe(local.ed.enc)}: ${local.unencrypted}"}"
  }
  check {
    condition = length(local.lt_bad) == 0
    at        = resource.block_device_mappings[local.lt_bad[0]].ebs[0].kms_key_id
    message = "block_device_mappings ${describe(resource.block_device_mappings[local.lt_bad[0]].device_name)}: ${kms_key_owner(local.ld.key) == "aws"
      ? "kms_key_id ${describe(local.ld.key)} is the AWS-managed key aws/ebs, whose policy nobody can edit"
      : describe(local.ld.enc) == "true"
      ? "encrypted is \"true\" but kms_key_id is not set: the volume is under the key of ${local.ld.src} if it is encrypted, otherwise under ${local.default_key}"
    : "encrypted is ${describe(local.ld.enc) == "null" ? "not set" : describe(try(resource.block_device_mappings[local.lt_bad[0]].ebs[0].encrypted, null))} and kms_key_id is not: the volume keeps the key of ${local.ld.src} if it is encrypted; otherwise ${local.unencrypted}"}"
  }

  description = <<-EOT
    An EBS volume is either unencrypted or encrypted under a KMS key: the key named in
    `kms_key_id`, else the account's default EBS key in that Region, which is the AWS-managed
    `aws/ebs` key unless `aws_ebs_default_kms_key` names another. `encrypted` left unset
    means unencrypted, unless the account has EBS encryption by default
    (`aws_ebs_encryption_by_default`), which encrypts every new volume under the default key.
    A volume made from an encrypted snapshot, or the root volume of an encrypted AMI, keeps
    the snapshot's key unless `kms_key_id` names another one.

    Only a customer-managed key lets you decide who may read the disks and their snapshots:
    its key policy is yours to write, every use is in CloudTrail under your key, and a
    snapshot shared with another account is useless there unless your key policy lets it
    decrypt. Snapshots under `aws/ebs` cannot be shared with another account at all, and
    nobody can edit that key's policy.

    The rule checks `aws_ebs_volume`, the `root_block_device` (present or not: an instance
    always has a root volume, described by its `launch_template` when that template maps
    EBS devices; which mapping is the root depends on the AMI, so the template's mappings are
    checked on the template, and an instance whose template is made outside this
    configuration is not decided) and each
    `ebs_block_device` of `aws_instance`, and each `block_device_mappings` entry with an
    `ebs` block of `aws_launch_template`; it reports the first device at fault, by its
    `device_name`. A volume without `kms_key_id` passes when this configuration sets a
    customer-managed `aws_ebs_default_kms_key` and the volume is encrypted (`encrypted =
    true`, or an `aws_ebs_encryption_by_default` that is not disabled). A volume from a
    snapshot or an AMI without `kms_key_id` is reported, since its key is then whatever the
    snapshot had: name the key to re-encrypt it.

    The encryption of a volume cannot change in place: Terraform replaces the volume, or the
    instance for its root or `ebs_block_device` volumes. A launch template only gets a new
    version, but an Auto Scaling group launching it with a customer-managed key needs the
    key policy to let its service-linked role use the key, or its launches fail: tfcheck
    offers no fix for launch templates and `ebs_block_device` entries.

    tfcheck follows `kms_key_id` through variables, locals, module arguments and outputs and
    data sources. It passes a key created by `aws_kms_key`, `aws_kms_alias` or
    `aws_kms_replica_key`, a key or customer alias ARN, and a data source that looks up a
    customer alias. It reports nothing when the key cannot be known before apply.
  EOT

  remediation = <<-EOT
    Create a key (or use an existing one), and name it on every volume, or make it the
    account's default EBS key:

    ```hcl
    resource "aws_kms_key" "ebs" {
      description         = "EBS volumes"
      enable_key_rotation = true
    }

    resource "aws_ebs_volume" "data" {
      availability_zone = "eu-west-1a"
      size              = 100
      encrypted         = true
      kms_key_id        = aws_kms_key.ebs.arn
    }

    # Or, for every new volume of the account in this Region:
    resource "aws_ebs_encryption_by_default" "this" {
      enabled = true
    }

    resource "aws_ebs_default_kms_key" "this" {
      key_arn = aws_kms_key.ebs.arn
    }
    ```

    Existing volumes keep their key: snapshot each one, copy the snapshot with `kms_key_id`
    set to your key (`aws_ebs_snapshot_copy`), create a volume from the copy and swap it in.
    For an Auto Scaling group, let its service-linked role
    (`AWSServiceRoleForAutoScaling`) use the key in the key policy before switching.
  EOT

  example "bad" {
    expect = ["aws_ebs_volume.plain", "aws_ebs_volume.off", "aws_ebs_volume.default_key"]
    config = <<-EOT
      resource "aws_ebs_volume" "plain" {
        availability_zone = "eu-west-1a"
        size              = 10
      }

      resource "aws_ebs_volume" "off" {
        availability_zone = "eu-west-1a"
        size              = 10
        encrypted         = false
      }

      resource "aws_ebs_volume" "default_key" {
        availability_zone = "eu-west-1a"
        size              = 10
        encrypted         = true
      }
    EOT
  }

  example "bad" {
    expect = ["aws_ebs_volume.alias", "aws_ebs_volume.alias_arn", "aws_ebs_volume.lookup", "aws_ebs_volume.restored"]
    config = <<-EOT
      data "aws_kms_alias" "ebs" {
        name = "alias/aws/ebs"
      }

      resource "aws_ebs_volume" "alias" {
        availability_zone = "eu-west-1a"
        size              = 10
        encrypted         = true
        kms_key_id        = "alias/aws/ebs"
      }

      resource "aws_ebs_volume" "alias_arn" {
        availability_zone = "eu-west-1a"
        size              = 10
        encrypted         = true
        kms_key_id        = "arn:aws:kms:eu-west-1:111122223333:alias/aws/ebs"
      }

      resource "aws_ebs_volume" "lookup" {
        availability_zone = "eu-west-1a"
        size              = 10
        encrypted         = true
        kms_key_id        = data.aws_kms_alias.ebs.target_key_arn
      }

      resource "aws_ebs_volume" "restored" {
        availability_zone = "eu-west-1a"
        snapshot_id       = "snap-0123456789abcdef0"
      }
    EOT
  }

  example "bad" {
    # Encryption by default is on, but the default key is aws/ebs.
    expect = ["aws_ebs_volume.by_default", "aws_instance.no_root", "aws_instance.root_managed", "aws_instance.data_disk"]
    config = <<-EOT
      resource "aws_ebs_encryption_by_default" "this" {
        enabled = true
      }

      resource "aws_ebs_volume" "by_default" {
        availability_zone = "eu-west-1a"
        size              = 10
      }

      resource "aws_instance" "no_root" {
        ami           = "ami-0123456789abcdef0"
        instance_type = "t3.micro"
      }

      resource "aws_instance" "root_managed" {
        ami           = "ami-0123456789abcdef0"
        instance_type = "t3.micro"
        root_block_device {
          encrypted  = true
          kms_key_id = "alias/aws/ebs"
        }
      }

      # The root volume is on a customer key; the second data disk is not.
      resource "aws_instance" "data_disk" {
        ami           = "ami-0123456789abcdef0"
        instance_type = "t3.micro"
        root_block_device {
          encrypted  = true
          kms_key_id = aws_kms_key.ebs.arn
        }
        ebs_block_device {
          device_name = "/dev/sdf"
          encrypted   = true
          kms_key_id  = aws_kms_key.ebs.arn
        }
        ebs_block_device {
          device_name = "/dev/sdg"
          volume_size = 100
        }
      }

      resource "aws_kms_key" "ebs" {
        enable_key_rotation = true
      }
    EOT
  }

  example "bad" {
    expect = ["aws_launch_template.app", "aws_instance.root_plain"]
    config = <<-EOT
      resource "aws_kms_key" "ebs" {
        enable_key_rotation = true
      }

      resource "aws_launch_template" "app" {
        name_prefix = "app-"
        block_device_mappings {
          device_name = "/dev/xvda"
          ebs {
            encrypted  = true
            kms_key_id = aws_kms_key.ebs.arn
          }
        }
        block_device_mappings {
          device_name = "/dev/xvdb"
          ebs {
            volume_size = 50
            encrypted   = "true"
          }
        }
      }

      resource "aws_instance" "root_plain" {
        ami           = "ami-0123456789abcdef0"
        instance_type = "t3.micro"
        root_block_device {
          volume_size = 20
        }
      }
    EOT
  }

  example "bad" {
    # The template maps no EBS device: the instance gets the AMI's root volume.
    expect = ["aws_instance.from_bare_template"]
    config = <<-EOT
      resource "aws_launch_template" "bare" {
        name_prefix   = "bare-"
        image_id      = "ami-0123456789abcdef0"
        instance_type = "t3.micro"
      }

      resource "aws_instance" "from_bare_template" {
        launch_template {
          id      = aws_launch_template.bare.id
          version = "$Latest"
        }
      }
    EOT
  }

  example "good" {
    config = <<-EOT
      resource "aws_kms_key" "ebs" {
        enable_key_rotation = true
      }

      resource "aws_ebs_volume" "by_key" {
        availability_zone = "eu-west-1a"
        size              = 10
        encrypted         = true
        kms_key_id        = aws_kms_key.ebs.arn
      }

      resource "aws_ebs_volume" "by_arn" {
        availability_zone = "eu-west-1a"
        size              = 10
        encrypted         = true
        kms_key_id        = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
      }

      resource "aws_ebs_volume" "by_alias" {
        availability_zone = "eu-west-1a"
        snapshot_id       = "snap-0123456789abcdef0"
        encrypted         = true
        kms_key_id        = "arn:aws:kms:eu-west-1:111122223333:alias/team-ebs"
      }

      resource "aws_instance" "app" {
        ami           = "ami-0123456789abcdef0"
        instance_type = "t3.micro"
        root_block_device {
          encrypted  = true
          kms_key_id = aws_kms_key.ebs.arn
        }
        ebs_block_device {
          device_name = "/dev/sdf"
          encrypted   = true
          kms_key_id  = "alias/team-ebs"
        }
      }

      # The root volume is described by the launch template, checked on its own.
      resource "aws_instance" "from_template" {
        launch_template {
          id = aws_launch_template.app.id
        }
      }

      resource "aws_launch_template" "app" {
        name_prefix = "app-"
        block_device_mappings {
          device_name = "/dev/xvda"
          ebs {
            encrypted  = "true"
            kms_key_id = aws_kms_key.ebs.arn
          }
        }
        # Instance store: no EBS volume.
        block_device_mappings {
          device_name  = "/dev/sdb"
          virtual_name = "ephemeral0"
        }
      }
    EOT
  }

  example "good" {
    # A customer key is the account's default EBS key, and encryption by default is on.
    config = <<-EOT
      resource "aws_kms_key" "ebs" {
        enable_key_rotation = true
      }

      resource "aws_ebs_default_kms_key" "this" {
        key_arn = aws_kms_key.ebs.arn
      }

      resource "aws_ebs_encryption_by_default" "this" {}

      resource "aws_ebs_volume" "plain" {
        availability_zone = "eu-west-1a"
        size              = 10
      }

      resource "aws_instance" "app" {
        ami           = "ami-0123456789abcdef0"
        instance_type = "t3.micro"
        ebs_block_device {
          device_name = "/dev/sdf"
          encrypted   = true
        }
      }
    EOT
  }

  example "good" {
    config = <<-EOT
      variable "kms_key_id" {
        type = string
      }

      # The key is not known before apply: no finding.
      resource "aws_ebs_volume" "unknown" {
        availability_zone = "eu-west-1a"
        size              = 10
        encrypted         = true
        kms_key_id        = var.kms_key_id
      }

      resource "aws_instance" "unknown" {
        ami           = "ami-0123456789abcdef0"
        instance_type = "t3.micro"
        root_block_device {
          encrypted  = true
          kms_key_id = var.kms_key_id
        }
      }
    EOT
  }
}
