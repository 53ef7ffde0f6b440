rule "ssm_nocmk" {
  title          = "SSM SecureString parameter is not encrypted with a customer-managed KMS key"
  severity       = "medium"
  resource_types = ["aws_ssm_parameter"]
  aliases        = ["CKV_AWS_337"]
  tags           = ["security", "encryption", "kms", "cmk", "ssm"]
  family         = "cmk"
  compliance = {
    "PCI DSS 4.0"    = ["3.5.1", "3.6.1"]
    "HIPAA"          = ["164.312(a)(2)(iv)", "164.312(e)(2)(ii)"]
    "SOC 2"          = ["CC6.1", "CC6.7"]
    "NIST 800-53 r5" = ["SC-12", "SC-28"]
  }
  references = [
    "https://docs.aws.amazon.com/kms/latest/developerguide/services-parameter-store.html",
    "https://docs.aws.amazon.com/systems-manager/latest/userguide/secure-string-parameter-kms-encryption.html",
    "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/ssm_parameter#key_id",
    "https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-mgmt",
  ]

  # Only SecureString parameters are encrypted: String and StringList parameters are stored
  # as plain text whatever key_id says, which is not this rule's question. A type only known
  # after apply decides nothing.
  locals {
    secure = resource.type == "SecureString"
  }

  # Checks run in order; the first one that is false is the finding. A check whose
  # condition cannot be known before apply finds nothing by itself (docs/writing-rules.md).
  check {
    condition = !local.secure || kms_key_owner(resource.key_id) != "none"
    at        = resource.key_id
    message   = "type is \"SecureString\" and key_id is not set: Parameter Store encrypts the value with the AWS-managed key aws/ssm, whose policy nobody can edit"
    fix {
      applicability = "unsafe"
      note          = "The key changes in place (the value is written again under the new key), but every principal that reads the parameter with decryption (applications, ECS task definitions, Lambda functions, CodeBuild, EC2 instance profiles) then needs kms:Decrypt on the new key; with the default key policy only IAM policies that grant it do, and reads fail for the others."
      set {
        key_id = key.arn
      }
    }
  }
  check {
    condition = !local.secure || kms_key_owner(resource.key_id) == "customer"
    at        = resource.key_id
    message   = "key_id ${describe(resource.key_id)} is the AWS-managed key aws/ssm, whose policy nobody can edit"
    fix {
      applicability = "unsafe"
      note          = "The key changes in place (the value is written again under the new key), but every principal that reads the parameter with decryption (applications, ECS task definitions, Lambda functions, CodeBuild, EC2 instance profiles) then needs kms:Decrypt on the new key; with the default key policy only IAM policies that grant it do, and reads fail for the others."
      set {
        key_id = key.arn
      }
    }
  }

  description = <<-EOT
    A `SecureString` parameter in SSM Parameter Store holds a secret value (a password, a
    token, a connection string) encrypted with KMS: under the AWS-managed key `aws/ssm` when
    `key_id` is left out (or names `alias/aws/ssm` or its ARN), or under a key you manage.
    `String` and `StringList` parameters are not encrypted at all and are not checked here.

    Only a customer-managed key lets you decide who may decrypt the value: its key policy is
    yours to write, you choose its rotation, and every use of it is in CloudTrail under your
    key. With `aws/ssm`, every principal of the account that may call `ssm:GetParameter` reads
    the value in clear, the key's policy cannot be edited to narrow that, and the value cannot
    be shared with another account.

    The key changes in place (the parameter is not replaced): the provider writes the value
    again, as a new version, under the new key. Earlier versions stay under the previous key.

    tfcheck follows `key_id` through variables, locals, module arguments and outputs and data
    sources. It passes a key created by `aws_kms_key`, `aws_kms_alias` or
    `aws_kms_replica_key`, a key id, a key or customer alias ARN, a customer alias name, and a
    data source that looks up a customer alias. It reports nothing when the key, or the
    parameter's type, cannot be known before apply.
  EOT

  remediation = <<-EOT
    Create a key (or use an existing one) and name it in `key_id`:

    ```hcl
    resource "aws_kms_key" "ssm" {
      description         = "SSM SecureString parameters"
      enable_key_rotation = true
    }

    resource "aws_ssm_parameter" "db_password" {
      name   = "/app/db/password"
      type   = "SecureString"
      key_id = aws_kms_key.ssm.arn
      value  = var.db_password
    }
    ```

    The key changes in place. Grant `kms:Decrypt` on the new key to every principal that
    reads the parameter with decryption before you change it.
  EOT

  example "bad" {
    expect = ["aws_ssm_parameter.empty", "aws_ssm_parameter.plain"]
    config = <<-EOT
      resource "aws_ssm_parameter" "plain" {
        name  = "/app/plain"
        type  = "SecureString"
        value = "secret"
      }

      resource "aws_ssm_parameter" "empty" {
        name   = "/app/empty"
        type   = "SecureString"
        key_id = ""
        value  = "secret"
      }
    EOT
  }

  example "bad" {
    expect = ["aws_ssm_parameter.by_alias", "aws_ssm_parameter.by_arn", "aws_ssm_parameter.by_data"]
    config = <<-EOT
      data "aws_kms_alias" "ssm" {
        name = "alias/aws/ssm"
      }

      resource "aws_ssm_parameter" "by_alias" {
        name   = "/app/by-alias"
        type   = "SecureString"
        key_id = "alias/aws/ssm"
        value  = "secret"
      }

      resource "aws_ssm_parameter" "by_arn" {
        name   = "/app/by-arn"
        type   = "SecureString"
        key_id = "arn:aws:kms:eu-west-1:111122223333:alias/aws/ssm"
        value  = "secret"
      }

      resource "aws_ssm_parameter" "by_data" {
        name   = "/app/by-data"
        type   = "SecureString"
        key_id = data.aws_kms_alias.ssm.target_key_id
        value  = "secret"
      }
    EOT
  }

  example "good" {
    config = <<-EOT
      resource "aws_kms_key" "ssm" {
        enable_key_rotation = true
      }

      resource "aws_ssm_parameter" "by_key" {
        name   = "/app/by-key"
        type   = "SecureString"
        key_id = aws_kms_key.ssm.arn
        value  = "secret"
      }

      resource "aws_ssm_parameter" "by_key_arn" {
        name   = "/app/by-key-arn"
        type   = "SecureString"
        key_id = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
        value  = "secret"
      }

      resource "aws_ssm_parameter" "by_customer_alias" {
        name   = "/app/by-customer-alias"
        type   = "SecureString"
        key_id = "alias/team-ssm"
        value  = "secret"
      }

      # Not encrypted at all, and not this rule's question.
      resource "aws_ssm_parameter" "plain_string" {
        name  = "/app/plain-string"
        type  = "String"
        value = "eu-west-1"
      }

      resource "aws_ssm_parameter" "list" {
        name  = "/app/list"
        type  = "StringList"
        value = "a,b"
      }
    EOT
  }

  example "good" {
    config = <<-EOT
      variable "kms_key_arn" {
        type = string
      }

      variable "parameter_type" {
        type = string
      }

      # The key is not known before apply: no finding.
      resource "aws_ssm_parameter" "unknown_key" {
        name   = "/app/unknown-key"
        type   = "SecureString"
        key_id = var.kms_key_arn
        value  = "secret"
      }

      # The type is not known before apply: no finding.
      resource "aws_ssm_parameter" "unknown_type" {
        name  = "/app/unknown-type"
        type  = var.parameter_type
        value = "secret"
      }
    EOT
  }
}
