rule "sqs_nocmk" {
  title          = "SQS queue is not encrypted with a customer-managed KMS key"
  severity       = "medium"
  resource_types = ["aws_sqs_queue"]
  aliases        = ["CKV_AWS_27", "AVD-AWS-0096", "aws-sqs-enable-queue-encryption", "AWS015", "AVD-AWS-0135", "aws-sqs-queue-encryption-use-cmk", "CKV2_AWS_73"]
  tags           = ["security", "encryption", "kms", "cmk", "sqs"]
  family         = "cmk"
  compliance = {
    "PCI DSS 4.0"    = ["3.5.1", "3.6.1"]
    "HIPAA"          = ["164.312(a)(2)(iv)", "164.312(e)(2)(ii)"]
    "SOC 2"          = ["CC6.1", "CC6.7"]
    "NIST 800-53 r5" = ["SC-12", "SC-28"]
  }
  references = [
    "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-server-side-encryption.html",
    "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-key-management.html",
    "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/sqs_queue#kms_master_key_id",
    "https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-mgmt",
  ]

  # Checks run in order; the first one that is false is the finding. A check whose
  # condition cannot be known before apply finds nothing by itself (docs/writing-rules.md).
  check {
    condition = resource.sqs_managed_sse_enabled != true
    at        = resource.sqs_managed_sse_enabled
    message   = "sqs_managed_sse_enabled is true: SQS encrypts the messages with SSE-SQS, under a key SQS owns"
  }
  check {
    condition = !(resource.sqs_managed_sse_enabled == false && kms_key_owner(resource.kms_master_key_id) == "none")
    at        = resource.sqs_managed_sse_enabled
    message   = "sqs_managed_sse_enabled is false and kms_master_key_id is not set: SQS stores the messages unencrypted"
  }
  check {
    condition = kms_key_owner(resource.kms_master_key_id) != "none"
    at        = resource.kms_master_key_id
    message   = "kms_master_key_id is not set: SQS encrypts the messages with SSE-SQS, under a key SQS owns"
    fix {
      applicability = "unsafe"
      note          = "The key changes in place, but a new key has the default key policy: AWS services that send to the queue (SNS subscriptions, S3 event notifications, EventBridge rules, ...) cannot use it until the key policy grants their service principal kms:GenerateDataKey* and kms:Decrypt, and their messages are lost meanwhile; producers and consumers using IAM roles need kms:GenerateDataKey* and kms:Decrypt on the key."
      set {
        kms_master_key_id = key.arn
      }
    }
  }
  check {
    condition = kms_key_owner(resource.kms_master_key_id) == "customer"
    at        = resource.kms_master_key_id
    message   = "kms_master_key_id ${describe(resource.kms_master_key_id)} is the AWS-managed key aws/sqs, whose policy nobody can edit"
    fix {
      applicability = "unsafe"
      note          = "The key changes in place, but a new key has the default key policy: producers and consumers using IAM roles need kms:GenerateDataKey* and kms:Decrypt on it, and AWS services that send to the queue need a key policy statement for their service principal."
      set {
        kms_master_key_id = key.arn
      }
    }
  }

  description = <<-EOT
    An SQS queue keeps every message until a consumer deletes it or its retention period ends.
    SQS encrypts them in one of three ways: with SSE-SQS, under keys SQS owns and manages (what
    a new queue gets when `kms_master_key_id` is not set, and what `sqs_managed_sse_enabled =
    true` asks for); with the AWS-managed KMS key `aws/sqs` (named as `alias/aws/sqs` or its
    ARN); or with a KMS key you manage. `sqs_managed_sse_enabled = false` without a key leaves
    the messages unencrypted.

    Only a customer-managed key lets you decide who may read the messages: its key policy is
    yours to write, you choose its rotation, and every use of it is in CloudTrail under your
    key. With SSE-SQS or `aws/sqs`, anyone with `sqs:ReceiveMessage` on the queue reads the
    messages, and there is no key policy to stop them. The `aws/sqs` key's policy cannot be
    edited, so AWS services that send to queues (SNS subscriptions, S3 event notifications,
    EventBridge rules) cannot send to a queue encrypted with it: a customer-managed key, whose
    policy grants their service principal `kms:GenerateDataKey*` and `kms:Decrypt`, is the
    only key that works for them.

    The key changes in place (the queue is not replaced); messages sent from then on are
    encrypted under the new key. `kms_master_key_id` conflicts with `sqs_managed_sse_enabled`
    in the provider: remove `sqs_managed_sse_enabled` when you set a key, which is why tfcheck
    offers no automatic fix for a queue that sets it.

    tfcheck follows `kms_master_key_id` through variables, locals, module arguments and outputs
    and data sources. It passes a key created by `aws_kms_key`, `aws_kms_alias` or
    `aws_kms_replica_key`, a key id, a key or customer alias ARN, a customer alias name, and a
    data source that looks up a customer alias. It reports nothing when the key cannot be known
    before apply.
  EOT

  remediation = <<-EOT
    Create a key (or use an existing one) whose policy lets the queue's producers use it, name
    it in `kms_master_key_id`, and remove `sqs_managed_sse_enabled`:

    ```hcl
    data "aws_caller_identity" "current" {}

    resource "aws_kms_key" "sqs" {
      description         = "SQS messages"
      enable_key_rotation = true
      policy = jsonencode({
        Version = "2012-10-17"
        Statement = [
          {
            Sid       = "Account"
            Effect    = "Allow"
            Principal = { AWS = "arn:aws:iam::$${data.aws_caller_identity.current.account_id}:root" }
            Action    = "kms:*"
            Resource  = "*"
          },
          {
            Sid       = "SnsSubscriptions"
            Effect    = "Allow"
            Principal = { Service = "sns.amazonaws.com" }
            Action    = ["kms:GenerateDataKey*", "kms:Decrypt"]
            Resource  = "*"
          },
        ]
      })
    }

    resource "aws_sqs_queue" "jobs" {
      name                              = "jobs"
      kms_master_key_id                 = aws_kms_key.sqs.arn
      kms_data_key_reuse_period_seconds = 300
    }
    ```

    The key changes in place. Give producers (`kms:GenerateDataKey*`, `kms:Decrypt`) and
    consumers (`kms:Decrypt`) the key permissions first, and AWS services that send to the
    queue a key policy statement for their service principal, then change the key.
  EOT

  example "bad" {
    expect = ["aws_sqs_queue.plain", "aws_sqs_queue.sse_sqs", "aws_sqs_queue.unencrypted"]
    config = <<-EOT
      resource "aws_sqs_queue" "plain" {
        name = "plain"
      }

      resource "aws_sqs_queue" "sse_sqs" {
        name                    = "sse-sqs"
        sqs_managed_sse_enabled = true
      }

      resource "aws_sqs_queue" "unencrypted" {
        name                    = "unencrypted"
        sqs_managed_sse_enabled = false
      }
    EOT
  }

  example "bad" {
    expect = ["aws_sqs_queue.by_alias", "aws_sqs_queue.by_arn", "aws_sqs_queue.by_data"]
    config = <<-EOT
      data "aws_kms_alias" "sqs" {
        name = "alias/aws/sqs"
      }

      resource "aws_sqs_queue" "by_alias" {
        name              = "by-alias"
        kms_master_key_id = "alias/aws/sqs"
      }

      resource "aws_sqs_queue" "by_arn" {
        name              = "by-arn"
        kms_master_key_id = "arn:aws:kms:eu-west-1:111122223333:alias/aws/sqs"
      }

      resource "aws_sqs_queue" "by_data" {
        name              = "by-data"
        kms_master_key_id = data.aws_kms_alias.sqs.arn
      }
    EOT
  }

  example "good" {
    config = <<-EOT
      resource "aws_kms_key" "sqs" {
        enable_key_rotation = true
      }

      resource "aws_sqs_queue" "by_key" {
        name              = "by-key"
        kms_master_key_id = aws_kms_key.sqs.arn
      }

      resource "aws_sqs_queue" "by_key_arn" {
        name              = "by-key-arn"
        kms_master_key_id = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
      }

      resource "aws_sqs_queue" "by_customer_alias" {
        name              = "by-customer-alias"
        kms_master_key_id = "alias/team-sqs"
      }
    EOT
  }

  example "good" {
    config = <<-EOT
      variable "kms_key_arn" {
        type = string
      }

      # The key is not known before apply: no finding.
      resource "aws_sqs_queue" "unknown" {
        name              = "unknown"
        kms_master_key_id = var.kms_key_arn
      }
    EOT
  }
}
