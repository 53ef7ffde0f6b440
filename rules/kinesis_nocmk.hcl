rule "kinesis_nocmk" {
  title          = "Kinesis data stream or Firehose stream is not encrypted with a customer-managed KMS key"
  severity       = "medium"
  resource_types = ["aws_kinesis_stream", "aws_kinesis_firehose_delivery_stream"]
  aliases        = ["CKV_AWS_43", "CKV_AWS_185", "AVD-AWS-0064", "aws-kinesis-enable-in-transit-encryption", "AWS024", "CKV_AWS_240", "CKV_AWS_241"]
  tags           = ["security", "encryption", "kms", "cmk", "kinesis"]
  family         = "cmk"
  compliance = {
    "PCI DSS 4.0"    = ["3.5.1", "3.6.1"]
    "HIPAA"          = ["164.312(a)(2)(iv)", "164.312(e)(2)(ii)"]
    "SOC 2"          = ["CC6.1", "CC6.7"]
    "NIST 800-53 r5" = ["SC-12", "SC-28"]
  }
  references = [
    "https://docs.aws.amazon.com/streams/latest/dev/server-side-encryption.html",
    "https://docs.aws.amazon.com/firehose/latest/dev/encryption.html",
    "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/kinesis_stream#kms_key_id",
    "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/kinesis_firehose_delivery_stream#server_side_encryption",
    "https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-mgmt",
  ]

  locals {
    firehose = resource_type == "aws_kinesis_firehose_delivery_stream"
    # A Firehose stream that reads from a Kinesis data stream or an MSK cluster cannot have
    # server-side encryption (the provider rejects the block): its source's encryption
    # applies, and the source is checked on its own.
    sourced = local.firehose && (try(length(resource.kinesis_source_configuration), 0) > 0 || try(length(resource.msk_source_configuration), 0) > 0)
  }

  # Checks run in order; the first one that is false is the finding. A check whose
  # condition cannot be known before apply finds nothing by itself (docs/writing-rules.md).
  # The first four are for aws_kinesis_stream, the others for
  # aws_kinesis_firehose_delivery_stream.
  check {
    condition = local.firehose || resource.encryption_type != null
    at        = resource
    message   = "encryption_type is not set: Kinesis Data Streams stores the records unencrypted (the default is \"NONE\")"
    fix {
      applicability = "unsafe"
      note          = "Encryption starts in place, but every producer then needs kms:GenerateDataKey on the key and every consumer kms:Decrypt (applications, Lambda event source mappings, Firehose, Managed Flink); with the default key policy only IAM policies that grant them do, and the others fail to write or read."
      set {
        encryption_type = "KMS"
        kms_key_id      = key.arn
      }
    }
  }
  check {
    condition = local.firehose || upper(coalesce(resource.encryption_type, "NONE")) == "KMS"
    at        = resource.encryption_type
    message   = "encryption_type is ${describe(resource.encryption_type)}: Kinesis Data Streams stores the records unencrypted"
    fix {
      applicability = "unsafe"
      note          = "Encryption starts in place, but every producer then needs kms:GenerateDataKey on the key and every consumer kms:Decrypt (applications, Lambda event source mappings, Firehose, Managed Flink); with the default key policy only IAM policies that grant them do, and the others fail to write or read."
      set {
        encryption_type = "KMS"
        kms_key_id      = key.arn
      }
    }
  }
  check {
    condition = local.firehose || kms_key_owner(resource.kms_key_id) != "none"
    at        = resource.kms_key_id
    message   = "encryption_type is \"KMS\" but kms_key_id is not set: the provider fails the apply (\"KMS Key ID required\"), leaving the stream unencrypted"
    fix {
      applicability = "unsafe"
      note          = "Encryption starts in place, but every producer then needs kms:GenerateDataKey on the key and every consumer kms:Decrypt (applications, Lambda event source mappings, Firehose, Managed Flink); with the default key policy only IAM policies that grant them do, and the others fail to write or read."
      set {
        kms_key_id = key.arn
      }
    }
  }
  check {
    condition = local.firehose || kms_key_owner(resource.kms_key_id) == "customer"
    at        = resource.kms_key_id
    message   = "kms_key_id ${describe(resource.kms_key_id)} is the AWS-managed key aws/kinesis, whose policy nobody can edit"
    fix {
      applicability = "unsafe"
      note          = "The key changes in place, but every producer then needs kms:GenerateDataKey on the new key and every consumer kms:Decrypt (applications, Lambda event source mappings, Firehose, Managed Flink); with the default key policy only IAM policies that grant them do, and the others fail to write or read."
      set {
        kms_key_id = key.arn
      }
    }
  }
  check {
    condition = !local.firehose || local.sourced || try(length(resource.server_side_encryption), 0) > 0
    at        = resource
    message   = "no server_side_encryption block: Firehose keeps the records it buffers without server-side encryption"
    fix {
      applicability = "safe"
      note          = "Encryption starts in place (StartDeliveryStreamEncryption); Firehose uses the key through a grant it creates itself, so producers need no key permissions."
      set {
        server_side_encryption {
          enabled  = true
          key_type = "CUSTOMER_MANAGED_CMK"
          key_arn  = key.arn
        }
      }
    }
  }
  check {
    condition = !local.firehose || local.sourced || try(resource.server_side_encryption[0].enabled, null) != null
    at        = resource.server_side_encryption[0]
    message   = "server_side_encryption.enabled is not set: it defaults to false, and Firehose keeps the records it buffers without server-side encryption"
    fix {
      applicability = "safe"
      note          = "Encryption starts in place (StartDeliveryStreamEncryption); Firehose uses the key through a grant it creates itself, so producers need no key permissions."
      set {
        server_side_encryption {
          enabled  = true
          key_type = "CUSTOMER_MANAGED_CMK"
          key_arn  = key.arn
        }
      }
    }
  }
  check {
    condition = !local.firehose || local.sourced || try(resource.server_side_encryption[0].enabled, null) == true
    at        = resource.server_side_encryption[0].enabled
    message   = "server_side_encryption.enabled is ${describe(resource.server_side_encryption[0].enabled)}: Firehose keeps the records it buffers without server-side encryption"
    fix {
      applicability = "safe"
      note          = "Encryption starts in place (StartDeliveryStreamEncryption); Firehose uses the key through a grant it creates itself, so producers need no key permissions."
      set {
        server_side_encryption {
          enabled  = true
          key_type = "CUSTOMER_MANAGED_CMK"
          key_arn  = key.arn
        }
      }
    }
  }
  check {
    condition = !local.firehose || local.sourced || try(resource.server_side_encryption[0].key_type, null) != null
    at        = resource.server_side_encryption[0]
    message   = "server_side_encryption.key_type is not set: Firehose encrypts the records under an AWS-owned key (the default is \"AWS_OWNED_CMK\")"
    fix {
      applicability = "safe"
      note          = "The key changes in place (StartDeliveryStreamEncryption); Firehose uses the key through a grant it creates itself, so producers need no key permissions."
      set {
        server_side_encryption {
          key_type = "CUSTOMER_MANAGED_CMK"
          key_arn  = key.arn
        }
      }
    }
  }
  check {
    condition = !local.firehose || local.sourced || try(resource.server_side_encryption[0].key_type, null) == "CUSTOMER_MANAGED_CMK"
    at        = resource.server_side_encryption[0].key_type
    message   = "server_side_encryption.key_type is ${describe(resource.server_side_encryption[0].key_type)}: Firehose encrypts the records under an AWS-owned key"
    fix {
      applicability = "safe"
      note          = "The key changes in place (StartDeliveryStreamEncryption); Firehose uses the key through a grant it creates itself, so producers need no key permissions."
      set {
        server_side_encryption {
          key_type = "CUSTOMER_MANAGED_CMK"
          key_arn  = key.arn
        }
      }
    }
  }
  check {
    condition = !local.firehose || local.sourced || kms_key_owner(try(resource.server_side_encryption[0].key_arn, null)) != "none"
    at        = resource.server_side_encryption[0].key_arn
    message   = "server_side_encryption.key_type is \"CUSTOMER_MANAGED_CMK\" but key_arn is not set: Firehose rejects the stream's encryption settings"
    fix {
      applicability = "safe"
      note          = "The key changes in place (StartDeliveryStreamEncryption); Firehose uses the key through a grant it creates itself, so producers need no key permissions."
      set {
        server_side_encryption {
          key_arn = key.arn
        }
      }
    }
  }
  check {
    condition = !local.firehose || local.sourced || kms_key_owner(try(resource.server_side_encryption[0].key_arn, null)) == "customer"
    at        = resource.server_side_encryption[0].key_arn
    message   = "server_side_encryption.key_arn ${describe(resource.server_side_encryption[0].key_arn)} is an AWS-managed key, whose policy nobody can edit"
    fix {
      applicability = "safe"
      note          = "The key changes in place (StartDeliveryStreamEncryption); Firehose uses the key through a grant it creates itself, so producers need no key permissions."
      set {
        server_side_encryption {
          key_arn = key.arn
        }
      }
    }
  }

  description = <<-EOT
    A Kinesis data stream keeps every record for its retention period (24 hours to a year);
    a Firehose stream buffers records before delivering them. Both carry whatever producers
    send: clickstreams, application events, logs, change data capture, often personal data.

    An `aws_kinesis_stream` stores the records unencrypted unless `encryption_type = "KMS"`
    (the default is `"NONE"`), and then under the key named in `kms_key_id`: the AWS-managed
    key `aws/kinesis` (named as `alias/aws/kinesis` or its ARN) or a key you manage. The
    provider requires `kms_key_id` with `"KMS"`. An `aws_kinesis_firehose_delivery_stream`
    encrypts only with a `server_side_encryption` block whose `enabled = true` (the default
    is false), under an AWS-owned key (`key_type = "AWS_OWNED_CMK"`, the default) or the
    key in `key_arn` with `key_type = "CUSTOMER_MANAGED_CMK"`. A Firehose stream that reads
    from a Kinesis data stream or an MSK cluster cannot set server-side encryption and is not
    checked: its source is.

    Only a customer-managed key lets you decide who may read the records: its key policy is
    yours to write, you choose its rotation, and every use of it is in CloudTrail under your
    key. With no encryption, an AWS-owned key or `aws/kinesis`, anyone holding
    `kinesis:GetRecords` (or the Firehose destination's permissions) reads every record, and
    there is no key policy to stop them.

    Both change in place (the stream is not replaced): a data stream encrypts the records
    written after encryption starts, and a Firehose stream switches keys through a grant it
    creates on the new key.

    tfcheck follows `kms_key_id` and `key_arn` through variables, locals, module arguments and
    outputs and data sources. It passes a key created by `aws_kms_key`, `aws_kms_alias` or
    `aws_kms_replica_key`, a key id, a key or customer alias ARN, a customer alias name, and a
    data source that looks up a customer alias. It reports nothing when the key cannot be known
    before apply.
  EOT

  remediation = <<-EOT
    Create a key (or use an existing one) and name it in the stream's encryption settings:

    ```hcl
    resource "aws_kms_key" "kinesis" {
      description         = "Kinesis records"
      enable_key_rotation = true
    }

    resource "aws_kinesis_stream" "events" {
      name            = "events"
      encryption_type = "KMS"
      kms_key_id      = aws_kms_key.kinesis.arn

      stream_mode_details {
        stream_mode = "ON_DEMAND"
      }
    }

    resource "aws_kinesis_firehose_delivery_stream" "events" {
      name        = "events"
      destination = "extended_s3"

      server_side_encryption {
        enabled  = true
        key_type = "CUSTOMER_MANAGED_CMK"
        key_arn  = aws_kms_key.kinesis.arn
      }

      extended_s3_configuration {
        role_arn   = aws_iam_role.firehose.arn
        bucket_arn = aws_s3_bucket.events.arn
      }
    }
    ```

    Both change in place. For a data stream, first give producers `kms:GenerateDataKey` and
    consumers `kms:Decrypt` on the key (including AWS services that read it, such as Lambda
    event source mappings and Firehose), then start encryption. A Firehose stream needs
    nothing more: Firehose creates its own grant on the key.
  EOT

  example "bad" {
    expect = ["aws_kinesis_stream.none", "aws_kinesis_stream.plain"]
    config = <<-EOT
      resource "aws_kinesis_stream" "plain" {
        name        = "plain"
        shard_count = 1
      }

      resource "aws_kinesis_stream" "none" {
        name            = "none"
        shard_count     = 1
        encryption_type = "NONE"
      }
    EOT
  }

  example "bad" {
    expect = ["aws_kinesis_stream.by_alias", "aws_kinesis_stream.by_arn", "aws_kinesis_stream.by_data", "aws_kinesis_stream.no_key"]
    config = <<-EOT
      data "aws_kms_alias" "kinesis" {
        name = "alias/aws/kinesis"
      }

      resource "aws_kinesis_stream" "no_key" {
        name            = "no-key"
        shard_count     = 1
        encryption_type = "KMS"
      }

      resource "aws_kinesis_stream" "by_alias" {
        name            = "by-alias"
        shard_count     = 1
        encryption_type = "KMS"
        kms_key_id      = "alias/aws/kinesis"
      }

      resource "aws_kinesis_stream" "by_arn" {
        name            = "by-arn"
        shard_count     = 1
        encryption_type = "KMS"
        kms_key_id      = "arn:aws:kms:eu-west-1:111122223333:alias/aws/kinesis"
      }

      resource "aws_kinesis_stream" "by_data" {
        name            = "by-data"
        shard_count     = 1
        encryption_type = "KMS"
        kms_key_id      = data.aws_kms_alias.kinesis.target_key_arn
      }
    EOT
  }

  example "bad" {
    expect = ["aws_kinesis_firehose_delivery_stream.disabled", "aws_kinesis_firehose_delivery_stream.enabled_unset", "aws_kinesis_firehose_delivery_stream.plain"]
    config = <<-EOT
      resource "aws_kinesis_firehose_delivery_stream" "plain" {
        name        = "plain"
        destination = "extended_s3"
        extended_s3_configuration {
          role_arn   = "arn:aws:iam::111122223333:role/firehose"
          bucket_arn = "arn:aws:s3:::events"
        }
      }

      resource "aws_kinesis_firehose_delivery_stream" "enabled_unset" {
        name        = "enabled-unset"
        destination = "extended_s3"
        server_side_encryption {
          key_type = "AWS_OWNED_CMK"
        }
        extended_s3_configuration {
          role_arn   = "arn:aws:iam::111122223333:role/firehose"
          bucket_arn = "arn:aws:s3:::events"
        }
      }

      resource "aws_kinesis_firehose_delivery_stream" "disabled" {
        name        = "disabled"
        destination = "extended_s3"
        server_side_encryption {
          enabled = false
        }
        extended_s3_configuration {
          role_arn   = "arn:aws:iam::111122223333:role/firehose"
          bucket_arn = "arn:aws:s3:::events"
        }
      }
    EOT
  }

  example "bad" {
    expect = [
      "aws_kinesis_firehose_delivery_stream.aws_owned",
      "aws_kinesis_firehose_delivery_stream.by_arn",
      "aws_kinesis_firehose_delivery_stream.by_data",
      "aws_kinesis_firehose_delivery_stream.default_key_type",
      "aws_kinesis_firehose_delivery_stream.no_key_arn",
    ]
    config = <<-EOT
      data "aws_kms_alias" "firehose" {
        name = "alias/aws/firehose"
      }

      resource "aws_kinesis_firehose_delivery_stream" "default_key_type" {
        name        = "default-key-type"
        destination = "extended_s3"
        server_side_encryption {
          enabled = true
        }
        extended_s3_configuration {
          role_arn   = "arn:aws:iam::111122223333:role/firehose"
          bucket_arn = "arn:aws:s3:::events"
        }
      }

      resource "aws_kinesis_firehose_delivery_stream" "aws_owned" {
        name        = "aws-owned"
        destination = "extended_s3"
        server_side_encryption {
          enabled  = true
          key_type = "AWS_OWNED_CMK"
        }
        extended_s3_configuration {
          role_arn   = "arn:aws:iam::111122223333:role/firehose"
          bucket_arn = "arn:aws:s3:::events"
        }
      }

      resource "aws_kinesis_firehose_delivery_stream" "no_key_arn" {
        name        = "no-key-arn"
        destination = "extended_s3"
        server_side_encryption {
          enabled  = true
          key_type = "CUSTOMER_MANAGED_CMK"
        }
        extended_s3_configuration {
          role_arn   = "arn:aws:iam::111122223333:role/firehose"
          bucket_arn = "arn:aws:s3:::events"
        }
      }

      resource "aws_kinesis_firehose_delivery_stream" "by_arn" {
        name        = "by-arn"
        destination = "extended_s3"
        server_side_encryption {
          enabled  = true
          key_type = "CUSTOMER_MANAGED_CMK"
          key_arn  = "arn:aws:kms:eu-west-1:111122223333:alias/aws/firehose"
        }
        extended_s3_configuration {
          role_arn   = "arn:aws:iam::111122223333:role/firehose"
          bucket_arn = "arn:aws:s3:::events"
        }
      }

      resource "aws_kinesis_firehose_delivery_stream" "by_data" {
        name        = "by-data"
        destination = "extended_s3"
        server_side_encryption {
          enabled  = true
          key_type = "CUSTOMER_MANAGED_CMK"
          key_arn  = data.aws_kms_alias.firehose.target_key_arn
        }
        extended_s3_configuration {
          role_arn   = "arn:aws:iam::111122223333:role/firehose"
          bucket_arn = "arn:aws:s3:::events"
        }
      }
    EOT
  }

  example "good" {
    config = <<-EOT
      resource "aws_kms_key" "kinesis" {
        enable_key_rotation = true
      }

      resource "aws_kinesis_stream" "by_key" {
        name            = "by-key"
        shard_count     = 1
        encryption_type = "KMS"
        kms_key_id      = aws_kms_key.kinesis.arn
      }

      resource "aws_kinesis_stream" "by_key_arn" {
        name            = "by-key-arn"
        shard_count     = 1
        encryption_type = "KMS"
        kms_key_id      = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
      }

      resource "aws_kinesis_stream" "by_customer_alias" {
        name            = "by-customer-alias"
        shard_count     = 1
        encryption_type = "KMS"
        kms_key_id      = "alias/team-kinesis"
      }

      resource "aws_kinesis_firehose_delivery_stream" "by_key" {
        name        = "by-key"
        destination = "extended_s3"
        server_side_encryption {
          enabled  = true
          key_type = "CUSTOMER_MANAGED_CMK"
          key_arn  = aws_kms_key.kinesis.arn
        }
        extended_s3_configuration {
          role_arn   = "arn:aws:iam::111122223333:role/firehose"
          bucket_arn = "arn:aws:s3:::events"
        }
      }

      # Reads from the data stream above: the stream's encryption applies.
      resource "aws_kinesis_firehose_delivery_stream" "from_stream" {
        name        = "from-stream"
        destination = "extended_s3"
        kinesis_source_configuration {
          kinesis_stream_arn = aws_kinesis_stream.by_key.arn
          role_arn           = "arn:aws:iam::111122223333:role/firehose"
        }
        extended_s3_configuration {
          role_arn   = "arn:aws:iam::111122223333:role/firehose"
          bucket_arn = "arn:aws:s3:::events"
        }
      }
    EOT
  }

  example "good" {
    config = <<-EOT
      variable "kms_key_arn" {
        type = string
      }

      # The key is not known before apply: no finding.
      resource "aws_kinesis_stream" "unknown" {
        name            = "unknown"
        shard_count     = 1
        encryption_type = "KMS"
        kms_key_id      = var.kms_key_arn
      }

      resource "aws_kinesis_firehose_delivery_stream" "unknown" {
        name        = "unknown"
        destination = "extended_s3"
        server_side_encryption {
          enabled  = true
          key_type = "CUSTOMER_MANAGED_CMK"
          key_arn  = var.kms_key_arn
        }
        extended_s3_configuration {
          role_arn   = "arn:aws:iam::111122223333:role/firehose"
          bucket_arn = "arn:aws:s3:::events"
        }
      }
    EOT
  }
}
