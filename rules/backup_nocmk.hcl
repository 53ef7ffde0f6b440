rule "backup_nocmk" {
  title          = "AWS Backup vault is not encrypted with a customer-managed KMS key"
  severity       = "medium"
  resource_types = ["aws_backup_vault"]
  aliases        = ["CKV_AWS_166"]
  tags           = ["security", "encryption", "kms", "cmk", "backup"]
  family         = "cmk"
  compliance = {
    "PCI DSS 4.0"    = ["3.5.1", "3.6.1"]
    "HIPAA"          = ["164.312(a)(2)(iv)", "164.312(e)(2)(ii)"]
    "SOC 2"          = ["CC6.1", "CC6.7"]
    "NIST 800-53 r5" = ["SC-12", "SC-28"]
  }
  references = [
    "https://docs.aws.amazon.com/aws-backup/latest/devguide/encryption.html",
    "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/backup_vault#kms_key_arn",
    "https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-mgmt",
  ]

  # Checks run in order; the first one that is false is the finding. A check whose
  # condition cannot be known before apply finds nothing by itself (docs/writing-rules.md).
  check {
    condition = kms_key_owner(resource.kms_key_arn) != "none"
    at        = resource
    message   = "kms_key_arn is not set: AWS Backup encrypts the vault's backups under the AWS-managed key aws/backup, whose policy nobody can edit"
    fix {
      applicability = "unsafe"
      replaces      = true
      note          = "The key cannot change in place: Terraform replaces the vault, and AWS Backup refuses to delete a vault that still holds recovery points. Apply it to vaults the plan creates; for the others, create a new vault, point the backup plans at it and let the old one's recovery points expire."
      set {
        kms_key_arn = key.arn
      }
    }
  }
  check {
    condition = kms_key_owner(resource.kms_key_arn) == "customer"
    at        = resource.kms_key_arn
    message   = "kms_key_arn ${describe(resource.kms_key_arn)} is the AWS-managed key aws/backup, whose policy nobody can edit"
    fix {
      applicability = "unsafe"
      replaces      = true
      note          = "The key cannot change in place: Terraform replaces the vault, and AWS Backup refuses to delete a vault that still holds recovery points. Apply it to vaults the plan creates; for the others, create a new vault, point the backup plans at it and let the old one's recovery points expire."
      set {
        kms_key_arn = key.arn
      }
    }
  }

  description = <<-EOT
    A backup vault encrypts the backups that AWS Backup manages itself (EFS, DynamoDB with
    advanced backup, S3, Timestream, VMware and others, and every copy made into the vault)
    under the key named in `kms_key_arn`, else under the AWS-managed `aws/backup` key. Backups
    of services that encrypt their own snapshots (EBS, RDS, Aurora) keep the key of their
    source, so `aws/backup` is then only part of the story, but every copy made into the
    vault is under the vault's key.

    The vault is the last line of defence: only a customer-managed key lets you decide who
    may restore or copy its recovery points, log every use of it in CloudTrail under your
    key, and share the backups with a recovery account, which `aws/backup` cannot do (its
    policy nobody can edit does not let another account use it).

    The key of a vault cannot change after it is created: Terraform replaces the vault, and
    AWS Backup will not delete a vault that still holds recovery points, so the apply fails
    until they are gone. Migrate by creating a new vault and pointing the backup plans at it.

    tfcheck follows `kms_key_arn` through variables, locals, module arguments and outputs and
    data sources. It passes a key created by `aws_kms_key`, `aws_kms_alias` or
    `aws_kms_replica_key`, a key or customer alias ARN, and a data source that looks up a
    customer alias. It reports nothing when the key cannot be known before apply.
  EOT

  remediation = <<-EOT
    Create a key (or use an existing one) and name it in `kms_key_arn`:

    ```hcl
    resource "aws_kms_key" "backup" {
      description         = "AWS Backup vault"
      enable_key_rotation = true
    }

    resource "aws_backup_vault" "main" {
      name        = "main"
      kms_key_arn = aws_kms_key.backup.arn
    }
    ```

    An existing vault keeps its key: create a new vault with the key, point the backup
    plans' rules (`target_vault_name`) at it, and delete the old vault once its recovery
    points have expired (or copy them over with a copy job). For copies to another account,
    let that account use the key in its key policy.
  EOT

  example "bad" {
    expect = ["aws_backup_vault.plain"]
    config = <<-EOT
      resource "aws_backup_vault" "plain" {
        name = "plain"
      }
    EOT
  }

  example "bad" {
    expect = ["aws_backup_vault.alias", "aws_backup_vault.alias_arn", "aws_backup_vault.lookup"]
    config = <<-EOT
      data "aws_kms_alias" "backup" {
        name = "alias/aws/backup"
      }

      resource "aws_backup_vault" "alias" {
        name        = "alias"
        kms_key_arn = "alias/aws/backup"
      }

      resource "aws_backup_vault" "alias_arn" {
        name        = "alias-arn"
        kms_key_arn = "arn:aws:kms:eu-west-1:111122223333:alias/aws/backup"
      }

      resource "aws_backup_vault" "lookup" {
        name        = "lookup"
        kms_key_arn = data.aws_kms_alias.backup.target_key_arn
      }
    EOT
  }

  example "good" {
    config = <<-EOT
      resource "aws_kms_key" "backup" {
        enable_key_rotation = true
      }

      resource "aws_backup_vault" "by_key" {
        name        = "by-key"
        kms_key_arn = aws_kms_key.backup.arn
      }

      resource "aws_backup_vault" "by_arn" {
        name        = "by-arn"
        kms_key_arn = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
      }

      resource "aws_backup_vault" "by_alias" {
        name        = "by-alias"
        kms_key_arn = "arn:aws:kms:eu-west-1:111122223333:alias/team-backup"
      }
    EOT
  }

  example "good" {
    config = <<-EOT
      variable "kms_key_arn" {
        type = string
      }

      # The key is not known before apply: no finding.
      resource "aws_backup_vault" "unknown" {
        name        = "unknown"
        kms_key_arn = var.kms_key_arn
      }
    EOT
  }
}
