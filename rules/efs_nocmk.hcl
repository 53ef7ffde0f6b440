rule "efs_nocmk" {
  title          = "EFS file system is not encrypted with a customer-managed KMS key"
  severity       = "medium"
  resource_types = ["aws_efs_file_system"]
  aliases        = ["CKV_AWS_184", "CKV_AWS_42", "AVD-AWS-0037", "aws-efs-enable-at-rest-encryption"]
  tags           = ["security", "encryption", "kms", "cmk", "efs"]
  family         = "cmk"
  compliance = {
    "PCI DSS 4.0"    = ["3.5.1", "3.6.1"]
    "HIPAA"          = ["164.312(a)(2)(iv)", "164.312(e)(2)(ii)"]
    "SOC 2"          = ["CC6.1", "CC6.7"]
    "NIST 800-53 r5" = ["SC-12", "SC-28"]
  }
  references = [
    "https://docs.aws.amazon.com/efs/latest/ug/encryption-at-rest.html",
    "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/efs_file_system#kms_key_id",
    "https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-mgmt",
  ]

  # Checks run in order; the first one that is false is the finding. A check whose
  # condition cannot be known before apply finds nothing by itself (docs/writing-rules.md).
  check {
    condition = resource.encrypted == true
    at        = resource.encrypted
    message   = "encrypted is ${resource.encrypted == null ? "not set (the default is false)" : describe(resource.encrypted)}: EFS stores the files and their metadata unencrypted"
    fix {
      applicability = "unsafe"
      replaces      = true
      note          = "Encryption cannot change in place: for a file system that already exists, Terraform replaces it, deleting every file in it. Apply it to file systems the plan creates; migrate the others (AWS DataSync or EFS replication into a new encrypted file system)."
      set {
        encrypted  = true
        kms_key_id = key.arn
      }
    }
  }
  check {
    condition = kms_key_owner(resource.kms_key_id) != "none"
    at        = resource.kms_key_id
    message   = "encrypted is true but kms_key_id is not set: EFS uses the AWS-managed key aws/elasticfilesystem, whose policy nobody can edit"
    fix {
      applicability = "unsafe"
      replaces      = true
      note          = "The key cannot change in place: for a file system that already exists, Terraform replaces it, deleting every file in it. Apply it to file systems the plan creates; migrate the others (AWS DataSync or EFS replication into a new file system under the key)."
      set {
        kms_key_id = key.arn
      }
    }
  }
  check {
    condition = kms_key_owner(resource.kms_key_id) == "customer"
    at        = resource.kms_key_id
    message   = "kms_key_id ${describe(resource.kms_key_id)} is the AWS-managed key aws/elasticfilesystem, whose policy nobody can edit"
    fix {
      applicability = "unsafe"
      replaces      = true
      note          = "The key cannot change in place: for a file system that already exists, Terraform replaces it, deleting every file in it. Apply it to file systems the plan creates; migrate the others (AWS DataSync or EFS replication into a new file system under the key)."
      set {
        kms_key_id = key.arn
      }
    }
  }

  description = <<-EOT
    An EFS file system stores its files and metadata unencrypted unless `encrypted` is true
    (the provider's and the API's default is false, unlike the console's). Encrypted, it uses
    the key named in `kms_key_id`, else the AWS-managed `aws/elasticfilesystem` key (also
    when `kms_key_id` names `alias/aws/elasticfilesystem`).

    Only a customer-managed key lets you decide who may use the data at rest: its key policy
    is yours to write, every use is logged in CloudTrail under your key, and disabling it
    makes the file system, its backups and its replicas unreadable at once. With
    `aws/elasticfilesystem`, nobody can edit the key policy and the key cannot be disabled.

    Neither the encryption nor the key of a file system can change after it is created:
    Terraform replaces it, deleting every file. Moving the data means a new file system and
    a copy (AWS DataSync, or an EFS replication configuration whose destination names the
    key).

    tfcheck follows `kms_key_id` through variables, locals, module arguments and outputs and
    data sources. It passes a key created by `aws_kms_key`, `aws_kms_alias` or
    `aws_kms_replica_key`, a key or customer alias ARN, and a data source that looks up a
    customer alias. It reports nothing when the key cannot be known before apply.
  EOT

  remediation = <<-EOT
    Turn encryption on and name your key:

    ```hcl
    resource "aws_kms_key" "efs" {
      description         = "EFS shared files"
      enable_key_rotation = true
    }

    resource "aws_efs_file_system" "shared" {
      creation_token = "shared"
      encrypted      = true
      kms_key_id     = aws_kms_key.efs.arn
    }
    ```

    An existing file system cannot be re-keyed: create the new one next to it, copy the
    files with AWS DataSync (or replicate into it with `aws_efs_replication_configuration`
    and fail over), move the mount targets' clients, then delete the old one.
  EOT

  example "bad" {
    expect = ["aws_efs_file_system.plain", "aws_efs_file_system.off"]
    config = <<-EOT
      resource "aws_efs_file_system" "plain" {
        creation_token = "plain"
      }

      resource "aws_efs_file_system" "off" {
        creation_token = "off"
        encrypted      = false
      }
    EOT
  }

  example "bad" {
    expect = ["aws_efs_file_system.default_key", "aws_efs_file_system.alias", "aws_efs_file_system.alias_arn", "aws_efs_file_system.lookup"]
    config = <<-EOT
      data "aws_kms_alias" "efs" {
        name = "alias/aws/elasticfilesystem"
      }

      resource "aws_efs_file_system" "default_key" {
        creation_token = "default-key"
        encrypted      = true
      }

      resource "aws_efs_file_system" "alias" {
        creation_token = "alias"
        encrypted      = true
        kms_key_id     = "alias/aws/elasticfilesystem"
      }

      resource "aws_efs_file_system" "alias_arn" {
        creation_token = "alias-arn"
        encrypted      = true
        kms_key_id     = "arn:aws:kms:eu-west-1:111122223333:alias/aws/elasticfilesystem"
      }

      resource "aws_efs_file_system" "lookup" {
        creation_token = "lookup"
        encrypted      = true
        kms_key_id     = data.aws_kms_alias.efs.target_key_arn
      }
    EOT
  }

  example "good" {
    config = <<-EOT
      resource "aws_kms_key" "efs" {
        enable_key_rotation = true
      }

      resource "aws_efs_file_system" "by_key" {
        creation_token = "by-key"
        encrypted      = true
        kms_key_id     = aws_kms_key.efs.arn
      }

      resource "aws_efs_file_system" "by_arn" {
        creation_token = "by-arn"
        encrypted      = true
        kms_key_id     = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
      }

      resource "aws_efs_file_system" "by_alias" {
        creation_token = "by-alias"
        encrypted      = true
        kms_key_id     = "arn:aws:kms:eu-west-1:111122223333:alias/team-efs"
      }
    EOT
  }

  example "good" {
    config = <<-EOT
      variable "kms_key_id" {
        type = string
      }

      # The key is not known before apply: no finding.
      resource "aws_efs_file_system" "unknown" {
        creation_token = "unknown"
        encrypted      = true
        kms_key_id     = var.kms_key_id
      }
    EOT
  }
}
