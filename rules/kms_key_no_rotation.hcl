rule "kms_key_no_rotation" {
  title          = "KMS key does not rotate its key material"
  severity       = "medium"
  resource_types = ["aws_kms_key"]
  aliases        = ["CKV_AWS_7", "AVD-AWS-0065", "aws-kms-auto-rotate-keys", "AWS019"]
  tags           = ["security", "encryption", "kms"]
  family         = "kms"
  references = [
    "https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html",
    "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/kms_key#enable_key_rotation",
  ]
  compliance = {
    "CIS AWS Foundations 3.0" = ["3.6"]
    "PCI DSS 4.0"             = ["3.7.4"]
    "HIPAA"                   = ["164.312(a)(2)(iv)"]
    "SOC 2"                   = ["CC6.1"]
    "NIST 800-53 r5"          = ["SC-12"]
  }

  # Only symmetric encryption keys can rotate automatically.
  locals {
    symmetric = coalesce(resource.key_spec, resource.customer_master_key_spec, "SYMMETRIC_DEFAULT") == "SYMMETRIC_DEFAULT"
  }

  check {
    condition = !local.symmetric || resource.enable_key_rotation != null
    at        = resource
    message   = "enable_key_rotation is not set: the key material is never rotated (the provider default is false)"
    fix {
      applicability = "safe"
      note          = "Turning rotation on changes nothing for data already encrypted and needs no migration."
      set {
        enable_key_rotation = true
      }
    }
  }
  check {
    condition = !local.symmetric || resource.enable_key_rotation == true
    at        = resource.enable_key_rotation
    message   = "enable_key_rotation is ${describe(resource.enable_key_rotation)}: the key material is never rotated"
    fix {
      applicability = "safe"
      note          = "Turning rotation on changes nothing for data already encrypted and needs no migration."
      set {
        enable_key_rotation = true
      }
    }
  }

  description = <<-EOT
    Automatic rotation gives a symmetric KMS key new key material every year (or on the
    period you set), while old ciphertext stays readable. Without it, every object the key
    ever encrypted depends on the same material for as long as the key lives, so one
    exposure of it (through a grant, a compromised role, a cryptographic weakness) covers
    all of them. CIS AWS Foundations and PCI DSS require rotation of customer-managed keys.

    The rule applies to symmetric encryption keys only (`key_spec` absent or
    `SYMMETRIC_DEFAULT`): asymmetric and HMAC keys cannot rotate automatically.
  EOT

  remediation = <<-EOT
    Set `enable_key_rotation = true`:

    ```hcl
    resource "aws_kms_key" "ecr" {
      description             = "ECR images"
      enable_key_rotation     = true
      rotation_period_in_days = 365
    }
    ```

    Turning rotation on changes nothing for existing ciphertext and needs no migration.
  EOT

  example "bad" {
    expect = ["aws_kms_key.default", "aws_kms_key.off"]
    plan   = "examples/kms_key_no_rotation/bad-1.plan.json"
    config = <<-EOT
      resource "aws_kms_key" "default" {
        description = "no rotation argument"
      }

      resource "aws_kms_key" "off" {
        description         = "rotation off"
        enable_key_rotation = false
      }
    EOT
  }

  example "good" {
    plan   = "examples/kms_key_no_rotation/good-2.plan.json"
    config = <<-EOT
      resource "aws_kms_key" "rotated" {
        description         = "rotated"
        enable_key_rotation = true
      }

      # Asymmetric keys cannot rotate automatically.
      resource "aws_kms_key" "signing" {
        description              = "signing"
        key_usage                = "SIGN_VERIFY"
        customer_master_key_spec = "ECC_NIST_P256"
      }
    EOT
  }
}
