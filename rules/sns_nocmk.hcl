rule "sns_nocmk" {
  title          = "SNS topic is not encrypted with a customer-managed KMS key"
  severity       = "medium"
  resource_types = ["aws_sns_topic"]
  aliases        = ["CKV_AWS_26", "AVD-AWS-0095", "aws-sns-enable-topic-encryption", "AWS016", "AVD-AWS-0136", "aws-sns-topic-encryption-use-cmk"]
  tags           = ["security", "encryption", "kms", "cmk", "sns"]
  family         = "cmk"
  compliance = {
    "PCI DSS 4.0"    = ["3.5.1", "3.6.1"]
    "HIPAA"          = ["164.312(a)(2)(iv)", "164.312(e)(2)(ii)"]
    "SOC 2"          = ["CC6.1", "CC6.7"]
    "NIST 800-53 r5" = ["SC-12", "SC-28"]
  }
  references = [
    "https://docs.aws.amazon.com/sns/latest/dg/sns-server-side-encryption.html",
    "https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html",
    "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/sns_topic#kms_master_key_id",
    "https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-mgmt",
  ]

  # Checks run in order; the first one that is false is the finding. A check whose
  # condition cannot be known before apply finds nothing by itself (docs/writing-rules.md).
  check {
    condition = kms_key_owner(resource.kms_master_key_id) != "none"
    at        = resource.kms_master_key_id
    message   = "kms_master_key_id is not set: SNS stores the messages unencrypted"
    fix {
      applicability = "unsafe"
      note          = "The key changes in place, but a new key has the default key policy: AWS services that publish to the topic (CloudWatch alarms, EventBridge, S3 event notifications, ...) cannot use it until the key policy grants their service principal kms:GenerateDataKey* and kms:Decrypt, and their messages are lost meanwhile; publishers using IAM roles need the same actions on the key."
      set {
        kms_master_key_id = key.arn
      }
    }
  }
  check {
    condition = kms_key_owner(resource.kms_master_key_id) == "customer"
    at        = resource.kms_master_key_id
    message   = "kms_master_key_id ${describe(resource.kms_master_key_id)} is the AWS-managed key aws/sns, whose policy nobody can edit"
    fix {
      applicability = "unsafe"
      note          = "The key changes in place, but a new key has the default key policy: publishers using IAM roles need kms:GenerateDataKey* and kms:Decrypt on it, and AWS services that publish to the topic need a key policy statement for their service principal."
      set {
        kms_master_key_id = key.arn
      }
    }
  }

  description = <<-EOT
    An SNS topic stores each message until it has been delivered to every subscription.
    Without `kms_master_key_id` it stores them unencrypted. With a key, SNS encrypts them under
    either the AWS-managed key `aws/sns` (named as `alias/aws/sns` or its ARN) or a key you
    manage.

    Only a customer-managed key lets you decide who may read the messages: its key policy is
    yours to write, you choose its rotation, and every use of it is in CloudTrail under your
    key. The `aws/sns` key's policy lets every principal of the account use it through SNS, and
    nobody can change it: so AWS services that publish to topics (CloudWatch alarms,
    EventBridge rules, S3 event notifications) cannot publish to a topic encrypted with it at
    all, and a customer-managed key is the only key that works for them, once its policy grants
    their service principal `kms:GenerateDataKey*` and `kms:Decrypt`.

    The key changes in place (the topic is not replaced); messages published from then on are
    encrypted under the new key.

    tfcheck follows `kms_master_key_id` through variables, locals, module arguments and outputs
    and data sources. It passes a key created by `aws_kms_key`, `aws_kms_alias` or
    `aws_kms_replica_key`, a key id, a key or customer alias ARN, a customer alias name, and a
    data source that looks up a customer alias. It reports nothing when the key cannot be known
    before apply.
  EOT

  remediation = <<-EOT
    Create a key (or use an existing one) whose policy lets the topic's publishers use it, and
    name it in `kms_master_key_id`:

    ```hcl
    data "aws_caller_identity" "current" {}

    resource "aws_kms_key" "sns" {
      description         = "SNS messages"
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
            Sid       = "CloudWatchAlarms"
            Effect    = "Allow"
            Principal = { Service = "cloudwatch.amazonaws.com" }
            Action    = ["kms:GenerateDataKey*", "kms:Decrypt"]
            Resource  = "*"
          },
        ]
      })
    }

    resource "aws_sns_topic" "alerts" {
      name              = "alerts"
      kms_master_key_id = aws_kms_key.sns.arn
    }
    ```

    The key changes in place. Give every publisher the key permissions first (IAM principals
    `kms:GenerateDataKey*` and `kms:Decrypt`; AWS services a key policy statement for their
    service principal), then change the key: a publisher that cannot use it fails to publish.
  EOT

  example "bad" {
    expect = ["aws_sns_topic.plain"]
    config = <<-EOT
      resource "aws_sns_topic" "plain" {
        name = "plain"
      }
    EOT
  }

  example "bad" {
    expect = ["aws_sns_topic.by_alias", "aws_sns_topic.by_arn", "aws_sns_topic.by_data", "aws_sns_topic.empty"]
    config = <<-EOT
      data "aws_kms_alias" "sns" {
        name = "alias/aws/sns"
      }

      resource "aws_sns_topic" "by_alias" {
        name              = "by-alias"
        kms_master_key_id = "alias/aws/sns"
      }

      resource "aws_sns_topic" "by_arn" {
        name              = "by-arn"
        kms_master_key_id = "arn:aws:kms:eu-west-1:111122223333:alias/aws/sns"
      }

      resource "aws_sns_topic" "by_data" {
        name              = "by-data"
        kms_master_key_id = data.aws_kms_alias.sns.target_key_arn
      }

      resource "aws_sns_topic" "empty" {
        name              = "empty"
        kms_master_key_id = ""
      }
    EOT
  }

  example "good" {
    config = <<-EOT
      resource "aws_kms_key" "sns" {
        enable_key_rotation = true
      }

      resource "aws_sns_topic" "by_key" {
        name              = "by-key"
        kms_master_key_id = aws_kms_key.sns.arn
      }

      resource "aws_sns_topic" "by_key_arn" {
        name              = "by-key-arn"
        kms_master_key_id = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
      }

      resource "aws_sns_topic" "by_customer_alias" {
        name              = "by-customer-alias"
        kms_master_key_id = "alias/team-sns"
      }
    EOT
  }

  example "good" {
    config = <<-EOT
      variable "kms_key_arn" {
        type = string
      }

      # The key is not known before apply: no finding.
      resource "aws_sns_topic" "unknown" {
        name              = "unknown"
        kms_master_key_id = var.kms_key_arn
      }
    EOT
  }
}
