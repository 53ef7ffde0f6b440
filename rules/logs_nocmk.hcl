rule "logs_nocmk" {
  title          = "CloudWatch log group is not encrypted with a customer-managed KMS key"
  severity       = "medium"
  resource_types = ["aws_cloudwatch_log_group"]
  aliases        = ["CKV_AWS_158", "AVD-AWS-0017", "aws-cloudwatch-log-group-customer-key", "AWS089"]
  tags           = ["security", "encryption", "kms", "cmk", "logs"]
  family         = "cmk"
  compliance = {
    "PCI DSS 4.0"    = ["3.5.1", "3.6.1"]
    "HIPAA"          = ["164.312(a)(2)(iv)", "164.312(e)(2)(ii)"]
    "SOC 2"          = ["CC6.1", "CC6.7"]
    "NIST 800-53 r5" = ["SC-12", "SC-28"]
  }
  references = [
    "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html",
    "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/cloudwatch_log_group#kms_key_id",
    "https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-mgmt",
  ]

  # Checks run in order; the first one that is false is the finding. A check whose
  # condition cannot be known before apply finds nothing by itself (docs/writing-rules.md). No fix: a key with the default key
  # policy makes the apply fail (see the description).
  check {
    condition = kms_key_owner(resource.kms_key_id) != "none"
    at        = resource.kms_key_id
    message   = "kms_key_id is not set: CloudWatch Logs encrypts the log events under a key the service owns"
  }
  check {
    condition = kms_key_owner(resource.kms_key_id) == "customer"
    at        = resource.kms_key_id
    message   = "kms_key_id ${describe(resource.kms_key_id)} is an AWS-managed key: CloudWatch Logs accepts only customer-managed keys, and no AWS-managed key's policy can grant it"
  }

  description = <<-EOT
    A CloudWatch Logs log group stores every log event it receives for its retention period:
    application output, access logs, VPC flow logs, Lambda and container logs, often with
    request data, tokens and personal data in them. Without `kms_key_id` CloudWatch Logs
    encrypts them under a key the service owns; with `kms_key_id` (a key ARN) under a KMS key
    you manage. CloudWatch Logs does not use AWS-managed keys.

    Only a customer-managed key lets you decide who may read the logs: its key policy is yours
    to write, you choose its rotation, every use of it is in CloudTrail under your key, and
    disabling the key makes the log data unreadable at once. With the service's key, anyone
    holding `logs:GetLogEvents` or `logs:StartQuery` on the group reads every event, and there
    is no key policy to stop them.

    The key changes in place (the group is not replaced): only events ingested after the key
    is associated are encrypted under it.

    tfcheck offers no automatic fix for this rule. CloudWatch Logs uses the key as the service
    principal `logs.<region>.amazonaws.com`, which only the key policy can allow: with the
    default key policy that `tfcheck fix` writes, creating or updating the group fails with
    an access-denied error. Write the key policy by hand, as below.

    tfcheck follows `kms_key_id` through variables, locals, module arguments and outputs and
    data sources. It passes a key created by `aws_kms_key`, `aws_kms_alias` or
    `aws_kms_replica_key`, a key ARN, and a data source that looks up a customer alias. It
    reports nothing when the key cannot be known before apply.
  EOT

  remediation = <<-EOT
    Create a key whose policy lets CloudWatch Logs in the group's region use it, and name it in
    `kms_key_id`:

    ```hcl
    data "aws_caller_identity" "current" {}
    data "aws_region" "current" {}

    resource "aws_kms_key" "logs" {
      description         = "CloudWatch Logs"
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
            Sid       = "CloudWatchLogs"
            Effect    = "Allow"
            Principal = { Service = "logs.$${data.aws_region.current.region}.amazonaws.com" }
            Action    = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
            Resource  = "*"
            Condition = {
              ArnLike = {
                "kms:EncryptionContext:aws:logs:arn" = "arn:aws:logs:$${data.aws_region.current.region}:$${data.aws_caller_identity.current.account_id}:log-group:*"
              }
            }
          },
        ]
      })
    }

    resource "aws_cloudwatch_log_group" "app" {
      name              = "/app/api"
      retention_in_days = 365
      kms_key_id        = aws_kms_key.logs.arn
    }
    ```

    The key changes in place; events already stored stay under the previous key until they
    expire. Readers of the logs need `kms:Decrypt` on the key.
  EOT

  example "bad" {
    expect = ["aws_cloudwatch_log_group.empty", "aws_cloudwatch_log_group.plain"]
    config = <<-EOT
      resource "aws_cloudwatch_log_group" "plain" {
        name              = "/app/plain"
        retention_in_days = 30
      }

      resource "aws_cloudwatch_log_group" "empty" {
        name       = "/app/empty"
        kms_key_id = ""
      }
    EOT
  }

  example "bad" {
    expect = ["aws_cloudwatch_log_group.by_arn", "aws_cloudwatch_log_group.by_data"]
    config = <<-EOT
      data "aws_kms_alias" "s3" {
        name = "alias/aws/s3"
      }

      # An AWS-managed key belongs to another service: CloudWatch Logs cannot use it.
      resource "aws_cloudwatch_log_group" "by_arn" {
        name       = "/app/by-arn"
        kms_key_id = "arn:aws:kms:eu-west-1:111122223333:alias/aws/s3"
      }

      resource "aws_cloudwatch_log_group" "by_data" {
        name       = "/app/by-data"
        kms_key_id = data.aws_kms_alias.s3.target_key_arn
      }
    EOT
  }

  example "good" {
    config = <<-EOT
      resource "aws_kms_key" "logs" {
        enable_key_rotation = true
      }

      resource "aws_cloudwatch_log_group" "by_key" {
        name       = "/app/by-key"
        kms_key_id = aws_kms_key.logs.arn
      }

      resource "aws_cloudwatch_log_group" "by_key_arn" {
        name       = "/app/by-key-arn"
        kms_key_id = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
      }

      data "aws_kms_alias" "team" {
        name = "alias/team-logs"
      }

      resource "aws_cloudwatch_log_group" "by_customer_alias" {
        name       = "/app/by-customer-alias"
        kms_key_id = data.aws_kms_alias.team.target_key_arn
      }
    EOT
  }

  example "good" {
    config = <<-EOT
      variable "kms_key_arn" {
        type = string
      }

      # The key is not known before apply: no finding.
      resource "aws_cloudwatch_log_group" "unknown" {
        name       = "/app/unknown"
        kms_key_id = var.kms_key_arn
      }
    EOT
  }
}
