rule "kms_key_policy_wildcard" {
  title          = "KMS key policy lets anyone use the key"
  severity       = "critical"
  resource_types = ["aws_kms_key", "aws_kms_key_policy"]
  aliases        = ["CKV_AWS_33"]
  tags           = ["security", "iam", "kms"]
  family         = "kms"
  references = [
    "https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-overview.html",
    "https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html",
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html",
  ]
  compliance = {
    "PCI DSS 4.0"    = ["3.6.1", "7.2.1"]
    "HIPAA"          = ["164.312(a)(1)"]
    "SOC 2"          = ["CC6.1", "CC6.3"]
    "NIST 800-53 r5" = ["AC-3", "AC-6"]
  }

  locals {
    # Condition keys that limit a "*" principal to known accounts, organizations or services.
    restricting = [
      "aws:principalorgid", "aws:principalorgpaths", "aws:principalaccount", "aws:principalarn",
      "aws:sourceaccount", "aws:sourcearn", "aws:sourceowner", "aws:sourcevpc", "aws:sourcevpce",
      "aws:sourceip", "kms:calleraccount", "kms:viaservice",
    ]
    # What lets a caller read data protected by the key.
    sensitive = [
      "kms:Decrypt", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext",
      "kms:GenerateDataKeyPair", "kms:ReEncryptFrom",
    ]
    open = [
      for s in policy_statements(resource.policy) : s
      if s.effect == "Allow" && s.public
      && length(setintersection(s.condition_keys, local.restricting)) == 0
      && (
        anytrue([for a in s.actions : anytrue([for g in local.sensitive : wildcard_match(a, g)])])
        || (length(s.not_actions) > 0 && !alltrue([for g in local.sensitive : anytrue([for a in s.not_actions : wildcard_match(a, g)])]))
      )
    ]
  }

  check {
    condition = length(local.open) == 0
    # The first open statement's principal, where the policy is written out in the resource.
    at        = resource.policy.Statement[local.open[0].index].Principal
    message   = "the key policy lets any principal decrypt with the key, with no condition limiting it to your accounts or organization (statement ${join(", ", [for s in local.open : coalesce(s.sid, "without a Sid")])})"
  }

  description = <<-EOT
    A key policy statement with `"Principal": "*"` (or `{"AWS": "*"}`) applies to every AWS
    principal in every account. If it allows `kms:*`, `kms:Decrypt` or `kms:GenerateDataKey*`
    and no condition narrows it (`aws:PrincipalOrgID`, `aws:SourceAccount`, `kms:CallerAccount`,
    `kms:ViaService`, ...), anyone who gets hold of ciphertext can decrypt it, and the key no
    longer protects anything.

    The rule reads the policy wherever it is written: a heredoc, `jsonencode(...)`, or an
    `aws_iam_policy_document` data source, on `aws_kms_key` or `aws_kms_key_policy`. A
    statement whose principal or condition is only known after apply is not reported.
  EOT

  remediation = <<-EOT
    Name the principals that need the key, or keep `"*"` but limit it with a condition:

    ```hcl
    data "aws_iam_policy_document" "key" {
      statement {
        sid       = "UseWithinOrganization"
        actions   = ["kms:Decrypt", "kms:GenerateDataKey*"]
        resources = ["*"]
        principals {
          type        = "AWS"
          identifiers = ["*"]
        }
        condition {
          test     = "StringEquals"
          variable = "aws:PrincipalOrgID"
          values   = [var.organization_id]
        }
      }
    }
    ```
  EOT

  example "bad" {
    expect = ["aws_kms_key.open", "aws_kms_key_policy.doc"]
    plan   = "examples/kms_key_policy_wildcard/bad-1.plan.json"
    config = <<-EOT
      resource "aws_kms_key" "open" {
        description = "open"
        policy = jsonencode({
          Version = "2012-10-17"
          Statement = [{
            Sid       = "Everyone"
            Effect    = "Allow"
            Principal = "*"
            Action    = "kms:*"
            Resource  = "*"
          }]
        })
      }

      resource "aws_kms_key" "other" {
        description = "other"
      }

      data "aws_iam_policy_document" "open" {
        statement {
          actions   = ["kms:Decrypt"]
          resources = ["*"]
          principals {
            type        = "AWS"
            identifiers = ["*"]
          }
        }
      }

      resource "aws_kms_key_policy" "doc" {
        key_id = aws_kms_key.other.id
        policy = data.aws_iam_policy_document.open.json
      }
    EOT
  }

  example "good" {
    plan   = "examples/kms_key_policy_wildcard/good-2.plan.json"
    config = <<-EOT
      data "aws_caller_identity" "current" {}

      resource "aws_kms_key" "account" {
        description = "account only"
        policy      = <<-JSON
          {
            "Version": "2012-10-17",
            "Statement": [{
              "Sid": "Account",
              "Effect": "Allow",
              "Principal": {"AWS": "arn:aws:iam::$${data.aws_caller_identity.current.account_id}:root"},
              "Action": "kms:*",
              "Resource": "*"
            }]
          }
        JSON
      }

      resource "aws_kms_key" "org" {
        description = "organization"
        policy = jsonencode({
          Statement = [{
            Effect    = "Allow"
            Principal = { AWS = "*" }
            Action    = ["kms:Decrypt"]
            Resource  = "*"
            Condition = { StringEquals = { "aws:PrincipalOrgID" = "o-abc123" } }
          }]
        })
      }

      resource "aws_kms_key" "encrypt_only" {
        description = "anyone may encrypt, nobody else may decrypt"
        policy = jsonencode({
          Statement = [{ Effect = "Allow", Principal = "*", Action = "kms:Encrypt", Resource = "*" }]
        })
      }
    EOT
  }
}
