rule "cloudtrail_nocmk" {
  title          = "CloudTrail trail does not encrypt its log files with a customer-managed KMS key"
  severity       = "medium"
  resource_types = ["aws_cloudtrail"]
  aliases        = ["CKV_AWS_35", "AVD-AWS-0015", "aws-cloudtrail-encryption-customer-managed-key", "aws-cloudtrail-enable-at-rest-encryption", "AWS065"]
  tags           = ["security", "encryption", "kms", "cmk", "cloudtrail"]
  family         = "cmk"
  compliance = {
    "CIS AWS Foundations 3.0" = ["3.5"]
    "PCI DSS 4.0"             = ["3.5.1", "3.6.1"]
    "HIPAA"                   = ["164.312(a)(2)(iv)", "164.312(e)(2)(ii)"]
    "SOC 2"                   = ["CC6.1", "CC6.7"]
    "NIST 800-53 r5"          = ["SC-12", "SC-28"]
  }
  references = [
    "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/encrypting-cloudtrail-log-files-with-aws-kms.html",
    "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html",
    "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/cloudtrail#kms_key_id",
    "https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-mgmt",
  ]

  # Checks run in order; the first one that is false is the finding. A check whose
  # condition cannot be known before apply finds nothing by itself (docs/writing-rules.md). No fix: a key with the default key
  # policy makes the apply fail (see the description).
  check {
    condition = kms_key_owner(resource.kms_key_id) != "none"
    at        = resource.kms_key_id
    message   = "kms_key_id is not set: CloudTrail does not encrypt the log files with KMS, so they get the bucket's default encryption (SSE-S3 under a key AWS owns, unless the bucket names a KMS key)"
  }
  check {
    condition = kms_key_owner(resource.kms_key_id) == "customer"
    at        = resource.kms_key_id
    message   = "kms_key_id ${describe(resource.kms_key_id)} is an AWS-managed key: CloudTrail accepts only customer-managed keys, whose policy lets cloudtrail.amazonaws.com encrypt with them"
  }

  description = <<-EOT
    A trail delivers every API call it records (who did what, from where, with which
    parameters) as log files to an S3 bucket. Without `kms_key_id` the files get the bucket's
    default encryption, normally SSE-S3 under a key AWS owns, so anyone allowed
    `s3:GetObject` on the bucket reads the whole audit history. With `kms_key_id`, CloudTrail
    encrypts each file with SSE-KMS under a key you manage, and reading a file also needs
    `kms:Decrypt` on that key: the key policy becomes a second, separate gate on the audit
    log, and every decryption is itself logged. CIS AWS Foundations (3.5) requires it.

    CloudTrail only works with customer-managed keys: no AWS-managed key's policy lets the
    `cloudtrail.amazonaws.com` service principal use it. The key changes in place (the trail
    is not replaced); files delivered from then on are encrypted under the new key.

    tfcheck offers no automatic fix for this rule. CloudTrail encrypts as the service
    principal `cloudtrail.amazonaws.com`, which only the key policy can allow: with the
    default key policy that `tfcheck fix` writes, creating or updating the trail fails with
    `InsufficientEncryptionPolicyException`. Write the key policy by hand, as below, and give
    the readers of the logs `kms:Decrypt`.

    tfcheck follows `kms_key_id` through variables, locals, module arguments and outputs and
    data sources. It passes a key created by `aws_kms_key`, `aws_kms_alias` or
    `aws_kms_replica_key`, a key or customer alias ARN, and a data source that looks up a
    customer alias. It reports nothing when the key cannot be known before apply.
  EOT

  remediation = <<-EOT
    Create a key whose policy lets CloudTrail encrypt with it, and name it in `kms_key_id`:

    ```hcl
    data "aws_caller_identity" "current" {}
    data "aws_partition" "current" {}
    data "aws_region" "current" {}

    resource "aws_kms_key" "cloudtrail" {
      description         = "CloudTrail log files"
      enable_key_rotation = true
      policy = jsonencode({
        Version = "2012-10-17"
        Statement = [
          {
            Sid       = "Account"
            Effect    = "Allow"
            Principal = { AWS = "arn:$${data.aws_partition.current.partition}:iam::$${data.aws_caller_identity.current.account_id}:root" }
            Action    = "kms:*"
            Resource  = "*"
          },
          {
            Sid       = "CloudTrailEncrypt"
            Effect    = "Allow"
            Principal = { Service = "cloudtrail.amazonaws.com" }
            Action    = "kms:GenerateDataKey*"
            Resource  = "*"
            Condition = {
              StringEquals = {
                "aws:SourceArn" = "arn:$${data.aws_partition.current.partition}:cloudtrail:$${data.aws_region.current.name}:$${data.aws_caller_identity.current.account_id}:trail/main"
              }
              StringLike = {
                "kms:EncryptionContext:aws:cloudtrail:arn" = "arn:$${data.aws_partition.current.partition}:cloudtrail:*:$${data.aws_caller_identity.current.account_id}:trail/*"
              }
            }
          },
          {
            Sid       = "CloudTrailDescribe"
            Effect    = "Allow"
            Principal = { Service = "cloudtrail.amazonaws.com" }
            Action    = "kms:DescribeKey"
            Resource  = "*"
          },
        ]
      })
    }

    resource "aws_cloudtrail" "main" {
      name           = "main"
      s3_bucket_name = aws_s3_bucket.trail.id
      kms_key_id     = aws_kms_key.cloudtrail.arn
    }
    ```

    The key changes in place. Give the people and tools that read the log files (Athena,
    a SIEM, CloudTrail Lake imports) `kms:Decrypt` on the key before switching, or they stop
    being able to read the new files.
  EOT

  example "bad" {
    expect = ["aws_cloudtrail.plain"]
    config = <<-EOT
      resource "aws_cloudtrail" "plain" {
        name           = "plain"
        s3_bucket_name = "audit-logs"
      }
    EOT
  }

  example "bad" {
    expect = ["aws_cloudtrail.by_arn", "aws_cloudtrail.by_data"]
    config = <<-EOT
      data "aws_kms_alias" "cloudtrail" {
        name = "alias/aws/cloudtrail"
      }

      resource "aws_cloudtrail" "by_arn" {
        name           = "by-arn"
        s3_bucket_name = "audit-logs"
        kms_key_id     = "arn:aws:kms:eu-west-1:111122223333:alias/aws/cloudtrail"
      }

      resource "aws_cloudtrail" "by_data" {
        name           = "by-data"
        s3_bucket_name = "audit-logs"
        kms_key_id     = data.aws_kms_alias.cloudtrail.target_key_arn
      }
    EOT
  }

  example "good" {
    config = <<-EOT
      resource "aws_kms_key" "cloudtrail" {
        enable_key_rotation = true
      }

      resource "aws_cloudtrail" "main" {
        name           = "main"
        s3_bucket_name = "audit-logs"
        kms_key_id     = aws_kms_key.cloudtrail.arn
      }

      resource "aws_cloudtrail" "by_arn" {
        name           = "by-arn"
        s3_bucket_name = "audit-logs"
        kms_key_id     = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
      }

      resource "aws_cloudtrail" "by_customer_alias" {
        name           = "by-customer-alias"
        s3_bucket_name = "audit-logs"
        kms_key_id     = "arn:aws:kms:eu-west-1:111122223333:alias/cloudtrail"
      }
    EOT
  }

  example "good" {
    config = <<-EOT
      variable "kms_key_arn" {
        type = string
      }

      # The key is not known before apply: no finding.
      resource "aws_cloudtrail" "unknown" {
        name           = "unknown"
        s3_bucket_name = "audit-logs"
        kms_key_id     = var.kms_key_arn
      }
    EOT
  }
}
