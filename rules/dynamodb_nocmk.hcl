rule "dynamodb_nocmk" {
  title          = "DynamoDB table is not encrypted with a customer-managed KMS key"
  severity       = "medium"
  resource_types = ["aws_dynamodb_table", "aws_dynamodb_table_replica"]
  aliases        = ["CKV_AWS_119", "CKV_AWS_271", "AVD-AWS-0025", "aws-dynamodb-table-customer-key"]
  tags           = ["security", "encryption", "kms", "cmk", "dynamodb"]
  family         = "cmk"
  compliance = {
    "PCI DSS 4.0"    = ["3.5.1", "3.6.1"]
    "HIPAA"          = ["164.312(a)(2)(iv)", "164.312(e)(2)(ii)"]
    "SOC 2"          = ["CC6.1", "CC6.7"]
    "NIST 800-53 r5" = ["SC-12", "SC-28"]
  }
  references = [
    "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/EncryptionAtRest.html",
    "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/dynamodb_table#server_side_encryption",
    "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/dynamodb_table_replica#kms_key_arn",
    "https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-mgmt",
  ]

  locals {
    table = resource_type == "aws_dynamodb_table"
    sse   = local.table ? resource.server_side_encryption : []
    enabled = try(local.sse[0].enabled, null)
    key     = try(local.sse[0].kms_key_arn, null)
    # The table's replica blocks whose key is not a customer-managed one.
    bad_replicas = local.table ? [
      for i, r in resource.replica : i if kms_key_owner(r.kms_key_arn) != "customer"
    ] : []
  }

  # Checks run in order; the first one that is false is the finding. A check whose
  # condition cannot be known before apply finds nothing by itself (docs/writing-rules.md).
  check {
    condition = !local.table || length(local.sse) > 0
    at        = resource
    message   = "no server_side_encryption block: DynamoDB encrypts the table under an AWS-owned key"
    fix {
      applicability = "unsafe"
      note          = "The key changes in place, but from then on every role that reads or writes the table needs kms:Decrypt, kms:Encrypt, kms:GenerateDataKey* and kms:DescribeKey on it (the default key policy leaves that to IAM policies): grant them before applying, or the applications lose access to the table."
      set {
        server_side_encryption {
          enabled     = true
          kms_key_arn = key.arn
        }
      }
    }
  }
  check {
    condition = !local.table || local.enabled == true
    at        = resource.server_side_encryption[0].enabled
    message   = "server_side_encryption.enabled is ${describe(local.enabled)}: DynamoDB encrypts the table under an AWS-owned key"
    fix {
      applicability = "unsafe"
      note          = "The key changes in place, but from then on every role that reads or writes the table needs kms:Decrypt, kms:Encrypt, kms:GenerateDataKey* and kms:DescribeKey on it (the default key policy leaves that to IAM policies): grant them before applying, or the applications lose access to the table."
      set {
        server_side_encryption {
          enabled     = true
          kms_key_arn = key.arn
        }
      }
    }
  }
  check {
    condition = !local.table || kms_key_owner(local.key) != "none"
    at        = resource.server_side_encryption[0].kms_key_arn
    message   = "server_side_encryption is enabled without kms_key_arn: DynamoDB uses the AWS-managed key aws/dynamodb, whose policy nobody can edit"
    fix {
      applicability = "unsafe"
      note          = "The key changes in place, but from then on every role that reads or writes the table needs kms:Decrypt, kms:Encrypt, kms:GenerateDataKey* and kms:DescribeKey on it (the default key policy leaves that to IAM policies): grant them before applying, or the applications lose access to the table."
      set {
        server_side_encryption {
          kms_key_arn = key.arn
        }
      }
    }
  }
  check {
    condition = !local.table || kms_key_owner(local.key) == "customer"
    at        = resource.server_side_encryption[0].kms_key_arn
    message   = "kms_key_arn ${describe(local.key)} is the AWS-managed key aws/dynamodb, whose policy nobody can edit"
    fix {
      applicability = "unsafe"
      note          = "The key changes in place, but from then on every role that reads or writes the table needs kms:Decrypt, kms:Encrypt, kms:GenerateDataKey* and kms:DescribeKey on it (the default key policy leaves that to IAM policies): grant them before applying, or the applications lose access to the table."
      set {
        server_side_encryption {
          kms_key_arn = key.arn
        }
      }
    }
  }
  # The table is on a customer-managed key: each replica needs its own key in its Region.
  # No fix: the module's key is in the table's Region, not the replica's.
  check {
    condition = length(local.bad_replicas) == 0
    at        = resource.replica[local.bad_replicas[0]].kms_key_arn
    message   = (kms_key_owner(resource.replica[local.bad_replicas[0]].kms_key_arn) == "none"
      ? "the replica in ${describe(resource.replica[local.bad_replicas[0]].region_name)} has no kms_key_arn: DynamoDB encrypts it under the AWS-managed key aws/dynamodb of that Region, whose policy nobody can edit"
      : "the replica in ${describe(resource.replica[local.bad_replicas[0]].region_name)} names kms_key_arn ${describe(resource.replica[local.bad_replicas[0]].kms_key_arn)}, the AWS-managed key aws/dynamodb, whose policy nobody can edit")
  }
  # aws_dynamodb_table_replica. No fix: its key must be in the replica's Region.
  check {
    condition = local.table || kms_key_owner(resource.kms_key_arn) != "none"
    at        = resource
    message   = "kms_key_arn is not set: DynamoDB encrypts the replica under the AWS-managed key aws/dynamodb of its Region, or under an AWS-owned key when the table does not use KMS"
  }
  check {
    condition = local.table || kms_key_owner(resource.kms_key_arn) == "customer"
    at        = resource.kms_key_arn
    message   = "kms_key_arn ${describe(resource.kms_key_arn)} is the AWS-managed key aws/dynamodb, whose policy nobody can edit"
  }

  description = <<-EOT
    DynamoDB always encrypts a table at rest, with its indexes, streams, backups and global
    table replicas: under a key AWS owns when there is no `server_side_encryption` block or
    `enabled` is false, under the AWS-managed key `aws/dynamodb` when encryption is enabled
    without `kms_key_arn` (or `kms_key_arn` names `alias/aws/dynamodb`), or under a key you
    manage.

    Only a customer-managed key lets you decide who may read the items: its key policy is
    yours to write, every use of it is logged in CloudTrail under your key, and disabling it
    cuts off the table, its backups and its exports at once. With the AWS-owned key or
    `aws/dynamodb`, anyone holding DynamoDB permissions (a leaked CI token, a broad role) can
    read every item, and there is no key policy to stop them.

    The key of a table can be changed in place (DynamoDB re-encrypts in the background), but
    every role that reads or writes the table then needs permission to use the new key. Each
    replica of a global table has its own key in its own Region: the rule also reports a
    replica block of the table, or an `aws_dynamodb_table_replica`, that names no
    customer-managed key (the replica then uses `aws/dynamodb` of its Region). Changing the
    key of an `aws_dynamodb_table_replica` replaces the replica. tfcheck offers no fix for
    replicas, since the key must live in the replica's Region.

    tfcheck follows `kms_key_arn` through variables, locals, module arguments and outputs and
    data sources. It passes a key created by `aws_kms_key`, `aws_kms_alias` or
    `aws_kms_replica_key`, a key or customer alias ARN, and a data source that looks up a
    customer alias. It reports nothing when the key cannot be known before apply.
  EOT

  remediation = <<-EOT
    Create a key (or use an existing one) and name it in `server_side_encryption`:

    ```hcl
    resource "aws_kms_key" "orders" {
      description         = "DynamoDB orders table"
      enable_key_rotation = true
    }

    resource "aws_dynamodb_table" "orders" {
      name         = "orders"
      billing_mode = "PAY_PER_REQUEST"
      hash_key     = "id"

      attribute {
        name = "id"
        type = "S"
      }

      server_side_encryption {
        enabled     = true
        kms_key_arn = aws_kms_key.orders.arn
      }
    }
    ```

    The change applies in place. Before applying it, let every role that uses the table use
    the key (`kms:Decrypt`, `kms:Encrypt`, `kms:GenerateDataKey*`, `kms:DescribeKey`, through
    the key policy or their IAM policies). For a global table, give each replica a key of its
    own Region (`kms_key_arn` in the `replica` block or the `aws_dynamodb_table_replica`; an
    `aws_kms_replica_key` of a multi-Region key works).
  EOT

  example "bad" {
    expect = ["aws_dynamodb_table.plain", "aws_dynamodb_table.disabled"]
    config = <<-EOT
      resource "aws_dynamodb_table" "plain" {
        name         = "plain"
        billing_mode = "PAY_PER_REQUEST"
        hash_key     = "id"
        attribute {
          name = "id"
          type = "S"
        }
      }

      resource "aws_dynamodb_table" "disabled" {
        name         = "disabled"
        billing_mode = "PAY_PER_REQUEST"
        hash_key     = "id"
        attribute {
          name = "id"
          type = "S"
        }
        server_side_encryption {
          enabled = false
        }
      }
    EOT
  }

  example "bad" {
    expect = ["aws_dynamodb_table.default_key", "aws_dynamodb_table.alias", "aws_dynamodb_table.alias_arn", "aws_dynamodb_table.lookup"]
    config = <<-EOT
      data "aws_kms_alias" "dynamodb" {
        name = "alias/aws/dynamodb"
      }

      resource "aws_dynamodb_table" "default_key" {
        name         = "default-key"
        billing_mode = "PAY_PER_REQUEST"
        hash_key     = "id"
        attribute {
          name = "id"
          type = "S"
        }
        server_side_encryption {
          enabled = true
        }
      }

      resource "aws_dynamodb_table" "alias" {
        name         = "alias"
        billing_mode = "PAY_PER_REQUEST"
        hash_key     = "id"
        attribute {
          name = "id"
          type = "S"
        }
        server_side_encryption {
          enabled     = true
          kms_key_arn = "alias/aws/dynamodb"
        }
      }

      resource "aws_dynamodb_table" "alias_arn" {
        name         = "alias-arn"
        billing_mode = "PAY_PER_REQUEST"
        hash_key     = "id"
        attribute {
          name = "id"
          type = "S"
        }
        server_side_encryption {
          enabled     = true
          kms_key_arn = "arn:aws:kms:eu-west-1:111122223333:alias/aws/dynamodb"
        }
      }

      resource "aws_dynamodb_table" "lookup" {
        name         = "lookup"
        billing_mode = "PAY_PER_REQUEST"
        hash_key     = "id"
        attribute {
          name = "id"
          type = "S"
        }
        server_side_encryption {
          enabled     = true
          kms_key_arn = data.aws_kms_alias.dynamodb.target_key_arn
        }
      }
    EOT
  }

  example "bad" {
    # The table is on a customer key; its second replica is not.
    expect = ["aws_dynamodb_table.global", "aws_dynamodb_table_replica.default_key", "aws_dynamodb_table_replica.managed"]
    config = <<-EOT
      resource "aws_kms_key" "main" {
        enable_key_rotation = true
      }

      resource "aws_dynamodb_table" "global" {
        name             = "global"
        billing_mode     = "PAY_PER_REQUEST"
        hash_key         = "id"
        stream_enabled   = true
        stream_view_type = "NEW_AND_OLD_IMAGES"
        attribute {
          name = "id"
          type = "S"
        }
        server_side_encryption {
          enabled     = true
          kms_key_arn = aws_kms_key.main.arn
        }
        replica {
          region_name = "us-east-2"
          kms_key_arn = "arn:aws:kms:us-east-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
        }
        replica {
          region_name = "us-west-2"
        }
      }

      resource "aws_dynamodb_table_replica" "default_key" {
        global_table_arn = "arn:aws:dynamodb:eu-west-1:111122223333:table/other"
      }

      resource "aws_dynamodb_table_replica" "managed" {
        global_table_arn = "arn:aws:dynamodb:eu-west-1:111122223333:table/other"
        kms_key_arn      = "arn:aws:kms:us-east-2:111122223333:alias/aws/dynamodb"
      }
    EOT
  }

  example "good" {
    config = <<-EOT
      resource "aws_kms_key" "orders" {
        enable_key_rotation = true
      }

      resource "aws_dynamodb_table" "orders" {
        name         = "orders"
        billing_mode = "PAY_PER_REQUEST"
        hash_key     = "id"
        attribute {
          name = "id"
          type = "S"
        }
        server_side_encryption {
          enabled     = true
          kms_key_arn = aws_kms_key.orders.arn
        }
      }

      resource "aws_dynamodb_table" "by_arn" {
        name         = "by-arn"
        billing_mode = "PAY_PER_REQUEST"
        hash_key     = "id"
        attribute {
          name = "id"
          type = "S"
        }
        server_side_encryption {
          enabled     = true
          kms_key_arn = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
        }
        replica {
          region_name = "us-east-2"
          kms_key_arn = "arn:aws:kms:us-east-2:111122223333:alias/orders"
        }
      }

      resource "aws_dynamodb_table" "by_alias" {
        name         = "by-alias"
        billing_mode = "PAY_PER_REQUEST"
        hash_key     = "id"
        attribute {
          name = "id"
          type = "S"
        }
        server_side_encryption {
          enabled     = true
          kms_key_arn = "alias/orders"
        }
      }

      resource "aws_dynamodb_table_replica" "replica" {
        global_table_arn = aws_dynamodb_table.orders.arn
        kms_key_arn      = "arn:aws:kms:us-east-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
      }
    EOT
  }

  example "good" {
    config = <<-EOT
      variable "kms_key_arn" {
        type = string
      }

      # The key is not known before apply: no finding.
      resource "aws_dynamodb_table" "unknown" {
        name         = "unknown"
        billing_mode = "PAY_PER_REQUEST"
        hash_key     = "id"
        attribute {
          name = "id"
          type = "S"
        }
        server_side_encryption {
          enabled     = true
          kms_key_arn = var.kms_key_arn
        }
      }

      resource "aws_dynamodb_table_replica" "unknown" {
        global_table_arn = aws_dynamodb_table.unknown.arn
        kms_key_arn      = var.kms_key_arn
      }
    EOT
  }
}
