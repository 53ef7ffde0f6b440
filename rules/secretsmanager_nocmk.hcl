rule "secretsmanager_nocmk" {
  title          = "Secrets Manager secret is not encrypted with a customer-managed KMS key"
  severity       = "medium"
  resource_types = ["aws_secretsmanager_secret"]
  aliases        = ["CKV_AWS_149", "AVD-AWS-0098", "aws-ssm-secret-use-customer-key", "AWS095"]
  tags           = ["security", "encryption", "kms", "cmk", "secretsmanager"]
  family         = "cmk"
  compliance = {
    "PCI DSS 4.0"    = ["3.5.1", "3.6.1"]
    "HIPAA"          = ["164.312(a)(2)(iv)", "164.312(e)(2)(ii)"]
    "SOC 2"          = ["CC6.1", "CC6.7"]
    "NIST 800-53 r5" = ["SC-12", "SC-28"]
  }
  references = [
    "https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html",
    "https://docs.aws.amazon.com/secretsmanager/latest/userguide/manage_update-encryption-key.html",
    "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/secretsmanager_secret#kms_key_id",
    "https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-mgmt",
  ]

  # Replicas (by index) whose key is not set, or is AWS-managed.
  locals {
    replicas_without_key = [for i, r in resource.replica : i if kms_key_owner(r.kms_key_id) == "none"]
    replicas_aws_key     = [for i, r in resource.replica : i if kms_key_owner(r.kms_key_id) == "aws"]
  }

  # Checks run in order; the first one that is false is the finding. A check whose
  # condition cannot be known before apply finds nothing by itself (docs/writing-rules.md).
  check {
    condition = kms_key_owner(resource.kms_key_id) != "none"
    at        = resource.kms_key_id
    message   = "kms_key_id is not set: Secrets Manager encrypts the secret with the AWS-managed key aws/secretsmanager, whose policy nobody can edit"
    fix {
      applicability = "unsafe"
      note          = "The key changes in place, but every principal that reads the secret (applications, ECS tasks, Lambda functions, the rotation function, other accounts) then needs kms:Decrypt on the new key, and writers kms:GenerateDataKey; with the default key policy only IAM policies that grant them do, and reads fail for the others."
      set {
        kms_key_id = key.arn
      }
    }
  }
  check {
    condition = kms_key_owner(resource.kms_key_id) == "customer"
    at        = resource.kms_key_id
    message   = "kms_key_id ${describe(resource.kms_key_id)} is the AWS-managed key aws/secretsmanager, whose policy nobody can edit"
    fix {
      applicability = "unsafe"
      note          = "The key changes in place, but every principal that reads the secret (applications, ECS tasks, Lambda functions, the rotation function, other accounts) then needs kms:Decrypt on the new key, and writers kms:GenerateDataKey; with the default key policy only IAM policies that grant them do, and reads fail for the others."
      set {
        kms_key_id = key.arn
      }
    }
  }
  check {
    condition = length(local.replicas_without_key) == 0
    at        = resource.replica[local.replicas_without_key[0]]
    message   = "the replica in ${describe(resource.replica[local.replicas_without_key[0]].region)} has no kms_key_id: Secrets Manager encrypts it with the AWS-managed key aws/secretsmanager of that region"
  }
  check {
    condition = length(local.replicas_aws_key) == 0
    at        = resource.replica[local.replicas_aws_key[0]].kms_key_id
    message   = "the replica in ${describe(resource.replica[local.replicas_aws_key[0]].region)} has kms_key_id ${describe(resource.replica[local.replicas_aws_key[0]].kms_key_id)}, the AWS-managed key aws/secretsmanager of that region"
  }

  description = <<-EOT
    A Secrets Manager secret holds credentials: database passwords, API keys, private keys.
    Secrets Manager always encrypts it, either with the AWS-managed key `aws/secretsmanager`
    (used when `kms_key_id` is left out, or named as `alias/aws/secretsmanager` or its ARN) or
    with a key you manage. Each `replica` is encrypted the same way in its own region, with
    its own `kms_key_id`.

    Only a customer-managed key lets you decide who may decrypt the secret: its key policy is
    yours to write, you choose its rotation, and every use of it is in CloudTrail under your
    key. The `aws/secretsmanager` key lets every principal of the account that may call
    `secretsmanager:GetSecretValue` decrypt the secret, its policy cannot be edited to narrow
    that, and it cannot be used from another account: sharing a secret across accounts needs
    a customer-managed key.

    The key changes in place (the secret is not replaced): Secrets Manager re-encrypts the
    `AWSCURRENT`, `AWSPENDING` and `AWSPREVIOUS` versions with the new key, and keeps the
    older versions under the previous key. tfcheck offers no automatic fix for replicas: a
    replica needs a key in its own region (a multi-Region replica key), not the module's key.

    tfcheck follows `kms_key_id` through variables, locals, module arguments and outputs and
    data sources. It passes a key created by `aws_kms_key`, `aws_kms_alias` or
    `aws_kms_replica_key`, a key id, a key or customer alias ARN, a customer alias name, and a
    data source that looks up a customer alias. It reports nothing when the key cannot be known
    before apply.
  EOT

  remediation = <<-EOT
    Create a key (or use an existing one) and name it in `kms_key_id`, and give each replica a
    key in its region:

    ```hcl
    resource "aws_kms_key" "secrets" {
      description         = "Secrets Manager secrets"
      enable_key_rotation = true
      multi_region        = true
    }

    resource "aws_kms_replica_key" "secrets_dr" {
      provider        = aws.dr
      primary_key_arn = aws_kms_key.secrets.arn
    }

    resource "aws_secretsmanager_secret" "db" {
      name       = "prod/db"
      kms_key_id = aws_kms_key.secrets.arn

      replica {
        region     = "eu-central-1"
        kms_key_id = aws_kms_replica_key.secrets_dr.arn
      }
    }
    ```

    The key changes in place. Grant `kms:Decrypt` on the new key to every principal that
    reads the secret (and `kms:GenerateDataKey` to those that write it, including the
    rotation function) before you change it; then put a new version of the secret so that
    `AWSCURRENT` can only be decrypted with the new key.
  EOT

  example "bad" {
    expect = ["aws_secretsmanager_secret.empty", "aws_secretsmanager_secret.plain"]
    config = <<-EOT
      resource "aws_secretsmanager_secret" "plain" {
        name = "plain"
      }

      resource "aws_secretsmanager_secret" "empty" {
        name       = "empty"
        kms_key_id = ""
      }
    EOT
  }

  example "bad" {
    expect = ["aws_secretsmanager_secret.by_alias", "aws_secretsmanager_secret.by_arn", "aws_secretsmanager_secret.by_data"]
    config = <<-EOT
      data "aws_kms_alias" "secretsmanager" {
        name = "alias/aws/secretsmanager"
      }

      resource "aws_secretsmanager_secret" "by_alias" {
        name       = "by-alias"
        kms_key_id = "alias/aws/secretsmanager"
      }

      resource "aws_secretsmanager_secret" "by_arn" {
        name       = "by-arn"
        kms_key_id = "arn:aws:kms:eu-west-1:111122223333:alias/aws/secretsmanager"
      }

      resource "aws_secretsmanager_secret" "by_data" {
        name       = "by-data"
        kms_key_id = data.aws_kms_alias.secretsmanager.target_key_arn
      }
    EOT
  }

  example "bad" {
    expect = ["aws_secretsmanager_secret.replica_aws_key", "aws_secretsmanager_secret.replica_default"]
    config = <<-EOT
      resource "aws_kms_key" "secrets" {
        enable_key_rotation = true
        multi_region        = true
      }

      resource "aws_secretsmanager_secret" "replica_default" {
        name       = "replica-default"
        kms_key_id = aws_kms_key.secrets.arn

        replica {
          region = "eu-central-1"
        }
      }

      resource "aws_secretsmanager_secret" "replica_aws_key" {
        name       = "replica-aws-key"
        kms_key_id = aws_kms_key.secrets.arn

        replica {
          region     = "eu-central-1"
          kms_key_id = "alias/aws/secretsmanager"
        }
      }
    EOT
  }

  example "good" {
    config = <<-EOT
      resource "aws_kms_key" "secrets" {
        enable_key_rotation = true
        multi_region        = true
      }

      resource "aws_kms_replica_key" "secrets_dr" {
        primary_key_arn = aws_kms_key.secrets.arn
      }

      resource "aws_secretsmanager_secret" "by_key" {
        name       = "by-key"
        kms_key_id = aws_kms_key.secrets.arn

        replica {
          region     = "eu-central-1"
          kms_key_id = aws_kms_replica_key.secrets_dr.arn
        }
      }

      resource "aws_secretsmanager_secret" "by_key_arn" {
        name       = "by-key-arn"
        kms_key_id = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
      }

      resource "aws_secretsmanager_secret" "by_customer_alias" {
        name       = "by-customer-alias"
        kms_key_id = "alias/team-secrets"
      }
    EOT
  }

  example "good" {
    config = <<-EOT
      variable "kms_key_arn" {
        type = string
      }

      # The key is not known before apply: no finding.
      resource "aws_secretsmanager_secret" "unknown" {
        name       = "unknown"
        kms_key_id = var.kms_key_arn
      }
    EOT
  }
}
