rule "s3_nocmk" {
  title          = "S3 bucket is not encrypted by default with a customer-managed KMS key"
  severity       = "medium"
  resource_types = ["aws_s3_bucket"]
  aliases        = ["CKV_AWS_145", "AVD-AWS-0132", "aws-s3-encryption-customer-key", "CKV_AWS_19", "AVD-AWS-0088", "aws-s3-enable-bucket-encryption"]
  tags           = ["security", "encryption", "kms", "cmk", "s3"]
  family         = "cmk"
  compliance = {
    "PCI DSS 4.0"    = ["3.5.1", "3.6.1"]
    "HIPAA"          = ["164.312(a)(2)(iv)", "164.312(e)(2)(ii)"]
    "SOC 2"          = ["CC6.1", "CC6.7"]
    "NIST 800-53 r5" = ["SC-12", "SC-28"]
  }
  references = [
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/default-bucket-encryption.html",
    "https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html",
    "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket_server_side_encryption_configuration",
  ]

  locals {
    # The bucket's default encryption: an aws_s3_bucket_server_side_encryption_configuration
    # that names it (by reference or by its written-out name), else the inline block that
    # provider versions before 4 used.
    configs = referencing("aws_s3_bucket_server_side_encryption_configuration", "bucket", "bucket")
    rules = (length(local.configs) > 0
      ? flatten([for c in local.configs : c.resource.rule])
      : flatten([for c in resource.server_side_encryption_configuration : c.rule]))
    default = flatten([for r in local.rules : r.apply_server_side_encryption_by_default])
    where   = length(local.configs) > 0 ? local.configs[0].address : "server_side_encryption_configuration"

    # When which configuration names the bucket is only known at apply (an unknown count or
    # for_each key), the checks above are undecided; the last one still decides when no
    # configuration that may name it, nor the inline block, gives a customer key.
    possible = concat(
      flatten([for c in possibly_referencing("aws_s3_bucket_server_side_encryption_configuration", "bucket", "bucket") : c.resource.rule]),
      flatten([for c in resource.server_side_encryption_configuration : c.rule]),
    )
    possible_defaults = flatten([for r in local.possible : r.apply_server_side_encryption_by_default])
  }

  check {
    condition = length(local.default) > 0
    at        = resource
    message   = "no default encryption (no aws_s3_bucket_server_side_encryption_configuration names the bucket): S3 encrypts new objects with SSE-S3, under a key S3 owns"
  }
  check {
    condition = contains(["aws:kms", "aws:kms:dsse"], local.default[0].sse_algorithm)
    at        = resource.server_side_encryption_configuration[0].rule[0].apply_server_side_encryption_by_default[0].sse_algorithm
    message   = "${local.where} sets sse_algorithm to ${describe(local.default[0].sse_algorithm)}: new objects are encrypted with SSE-S3, under a key S3 owns"
  }
  check {
    condition = kms_key_owner(local.default[0].kms_master_key_id) != "none"
    at        = resource.server_side_encryption_configuration[0].rule[0].apply_server_side_encryption_by_default[0].sse_algorithm
    message   = "${local.where} sets sse_algorithm to ${describe(local.default[0].sse_algorithm)} without kms_master_key_id: S3 uses the AWS-managed key aws/s3, whose policy nobody can edit"
  }
  check {
    condition = kms_key_owner(local.default[0].kms_master_key_id) == "customer"
    at        = resource.server_side_encryption_configuration[0].rule[0].apply_server_side_encryption_by_default[0].kms_master_key_id
    message   = "${local.where} sets kms_master_key_id to ${describe(local.default[0].kms_master_key_id)}, the AWS-managed key aws/s3, whose policy nobody can edit"
  }
  check {
    condition = anytrue([for d in local.possible_defaults : contains(["aws:kms", "aws:kms:dsse"], d.sse_algorithm) && kms_key_owner(d.kms_master_key_id) == "customer"])
    at        = resource
    message   = "no aws_s3_bucket_server_side_encryption_configuration that may name the bucket sets a customer-managed key: whichever applies, or none, new objects are encrypted under a key S3 or AWS owns"
  }

  description = <<-EOT
    Every S3 bucket encrypts new objects by default (since January 2023): with SSE-S3 under a
    key S3 owns and manages, unless the bucket's default encryption says `aws:kms` or
    `aws:kms:dsse`. With KMS, the key is the AWS-managed `aws/s3` key when
    `kms_master_key_id` is left out or names `alias/aws/s3`, or a key you manage.

    Only a customer-managed key puts a second lock on the data: a reader needs both
    `s3:GetObject` and `kms:Decrypt` on your key, whose policy you write, whose use is logged
    in CloudTrail under your key, and which you can disable to cut off every copy of the
    data at once. With SSE-S3 or `aws/s3`, anyone who can read the objects can decrypt them.

    The rule reads the default encryption where Terraform sets it: an
    `aws_s3_bucket_server_side_encryption_configuration` whose `bucket` refers to the bucket
    (`aws_s3_bucket.b.id`, `.bucket`, through variables, locals and modules) or names it
    literally, or else the bucket's inline `server_side_encryption_configuration` block of
    provider versions before 4. The finding is on the bucket. When the configuration
    resource's `bucket` is only known after apply and cannot be traced to a bucket, tfcheck
    cannot tell which bucket it configures and reports nothing. The same holds in a plan for a
    bucket created in the same plan and named as `aws_s3_bucket.b[count.index].id`: the plan
    records the reference without its index (scan the configuration to decide those).

    Default encryption changes in place, but only for objects written afterwards: existing
    objects keep the key they were written with until they are copied over themselves (S3
    Batch Operations or `aws s3 cp --recursive` onto the same keys).

    tfcheck follows `kms_master_key_id` through variables, locals, module arguments and
    outputs and data sources. It passes a key created by `aws_kms_key`, `aws_kms_alias` or
    `aws_kms_replica_key`, a key or customer alias ARN, and a data source that looks up a
    customer alias. It reports nothing when the key cannot be known before apply.
  EOT

  remediation = <<-EOT
    Give the bucket a default encryption with your own key:

    ```hcl
    resource "aws_kms_key" "data" {
      description         = "S3 data"
      enable_key_rotation = true
    }

    resource "aws_s3_bucket_server_side_encryption_configuration" "data" {
      bucket = aws_s3_bucket.data.id

      rule {
        apply_server_side_encryption_by_default {
          sse_algorithm     = "aws:kms"
          kms_master_key_id = aws_kms_key.data.arn
        }
        bucket_key_enabled = true
      }
    }
    ```

    `bucket_key_enabled` keeps the KMS request cost down. Everything that writes to the
    bucket needs `kms:GenerateDataKey` on the key, and every reader `kms:Decrypt`: grant
    them in the key policy (AWS services that deliver logs name their service principal)
    before switching. Then re-encrypt the objects already there by copying them onto
    themselves.
  EOT

  example "bad" {
    expect = ["aws_s3_bucket.plain"]
    config = <<-EOT
      resource "aws_s3_bucket" "plain" {
        bucket = "plain-bucket"
      }
    EOT
  }

  example "bad" {
    expect = ["aws_s3_bucket.per_team"]
    config = <<-EOT
      variable "teams" {
        type = set(string)
      }

      # Which configuration names which bucket is only known at apply, but every one is
      # SSE-S3, and a bucket none names is too.
      resource "aws_s3_bucket" "per_team" {
        for_each = var.teams
        bucket   = "data-$${each.value}"
      }

      resource "aws_s3_bucket_server_side_encryption_configuration" "per_team" {
        for_each = var.teams
        bucket   = aws_s3_bucket.per_team[each.value].id
        rule {
          apply_server_side_encryption_by_default {
            sse_algorithm = "AES256"
          }
        }
      }
    EOT
  }

  example "bad" {
    expect = ["aws_s3_bucket.sse_s3", "aws_s3_bucket.by_name"]
    plan   = "examples/s3_nocmk/bad-2.plan.json"
    config = <<-EOT
      resource "aws_s3_bucket" "sse_s3" {
        bucket = "sse-s3-bucket"
      }

      resource "aws_s3_bucket_server_side_encryption_configuration" "sse_s3" {
        bucket = aws_s3_bucket.sse_s3.id
        rule {
          apply_server_side_encryption_by_default {
            sse_algorithm = "AES256"
          }
        }
      }

      # Named by its written-out name.
      resource "aws_s3_bucket" "by_name" {
        bucket = "by-name-bucket"
      }

      resource "aws_s3_bucket_server_side_encryption_configuration" "by_name" {
        bucket = "by-name-bucket"
        rule {
          apply_server_side_encryption_by_default {
            sse_algorithm = "AES256"
          }
        }
      }
    EOT
  }

  example "bad" {
    expect = ["aws_s3_bucket.default_key", "aws_s3_bucket.legacy"]
    plan   = "examples/s3_nocmk/bad-3.plan.json"
    config = <<-EOT
      resource "aws_s3_bucket" "default_key" {
        bucket = "default-key-bucket"
      }

      resource "aws_s3_bucket_server_side_encryption_configuration" "default_key" {
        bucket = aws_s3_bucket.default_key.bucket
        rule {
          apply_server_side_encryption_by_default {
            sse_algorithm = "aws:kms"
          }
          bucket_key_enabled = true
        }
      }

      # The inline block of provider versions before 4.
      resource "aws_s3_bucket" "legacy" {
        bucket = "legacy-bucket"
        server_side_encryption_configuration {
          rule {
            apply_server_side_encryption_by_default {
              sse_algorithm = "aws:kms"
            }
          }
        }
      }
    EOT
  }

  example "bad" {
    expect = ["aws_s3_bucket.managed[0]", "aws_s3_bucket.managed[1]", "aws_s3_bucket.alias_arn"]
    config = <<-EOT
      data "aws_kms_alias" "s3" {
        name = "alias/aws/s3"
      }

      resource "aws_s3_bucket" "managed" {
        count  = 2
        bucket = "managed-$${count.index}"
      }

      resource "aws_s3_bucket_server_side_encryption_configuration" "managed" {
        count  = 2
        bucket = aws_s3_bucket.managed[count.index].id
        rule {
          apply_server_side_encryption_by_default {
            sse_algorithm     = "aws:kms"
            kms_master_key_id = data.aws_kms_alias.s3.target_key_arn
          }
        }
      }

      resource "aws_s3_bucket" "alias_arn" {
        bucket = "alias-arn-bucket"
      }

      resource "aws_s3_bucket_server_side_encryption_configuration" "alias_arn" {
        bucket = aws_s3_bucket.alias_arn.id
        rule {
          apply_server_side_encryption_by_default {
            sse_algorithm     = "aws:kms"
            kms_master_key_id = "arn:aws:kms:eu-west-1:111122223333:alias/aws/s3"
          }
        }
      }
    EOT
  }

  example "bad" {
    # The configuration is in a module; the bucket's id reaches it through a variable.
    expect = ["aws_s3_bucket.shared"]
    plan   = "examples/s3_nocmk/bad-5.plan.json"
    config = <<-EOT
      resource "aws_s3_bucket" "shared" {
        bucket = "shared-bucket"
      }

      # Only the first bucket gets a configuration: the second is not reported for it.
      resource "aws_s3_bucket" "other" {
        bucket = "other-bucket"
      }

      resource "aws_s3_bucket_server_side_encryption_configuration" "other" {
        bucket = aws_s3_bucket.other.id
        rule {
          apply_server_side_encryption_by_default {
            sse_algorithm     = "aws:kms"
            kms_master_key_id = aws_kms_key.data.arn
          }
        }
      }

      resource "aws_kms_key" "data" {
        enable_key_rotation = true
      }

      locals {
        algorithm = "AES256"
      }

      resource "aws_s3_bucket_server_side_encryption_configuration" "shared" {
        bucket = aws_s3_bucket.shared.id
        rule {
          apply_server_side_encryption_by_default {
            sse_algorithm = local.algorithm
          }
        }
      }
    EOT
  }

  example "good" {
    plan   = "examples/s3_nocmk/good-6.plan.json"
    config = <<-EOT
      resource "aws_kms_key" "data" {
        enable_key_rotation = true
      }

      resource "aws_s3_bucket" "data" {
        bucket_prefix = "data-"
      }

      resource "aws_s3_bucket_server_side_encryption_configuration" "data" {
        bucket = aws_s3_bucket.data.id
        rule {
          apply_server_side_encryption_by_default {
            sse_algorithm     = "aws:kms"
            kms_master_key_id = aws_kms_key.data.arn
          }
          bucket_key_enabled = true
        }
      }

      resource "aws_s3_bucket" "dsse" {
        bucket = "dsse-bucket"
      }

      resource "aws_s3_bucket_server_side_encryption_configuration" "dsse" {
        bucket = "dsse-bucket"
        rule {
          apply_server_side_encryption_by_default {
            sse_algorithm     = "aws:kms:dsse"
            kms_master_key_id = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
          }
        }
      }

      resource "aws_s3_bucket" "legacy" {
        bucket = "legacy-bucket"
        server_side_encryption_configuration {
          rule {
            apply_server_side_encryption_by_default {
              sse_algorithm     = "aws:kms"
              kms_master_key_id = "alias/team-data"
            }
          }
        }
      }
    EOT
  }

  example "good" {
    config = <<-EOT
      module "bucket" {
        source = "./bucket"
      }

      resource "aws_kms_key" "data" {
        enable_key_rotation = true
      }

      # The bucket is made in the module; its id comes back as an output.
      resource "aws_s3_bucket_server_side_encryption_configuration" "data" {
        bucket = module.bucket.id
        rule {
          apply_server_side_encryption_by_default {
            sse_algorithm     = "aws:kms"
            kms_master_key_id = aws_kms_key.data.arn
          }
        }
      }
    EOT
    files = {
      "bucket/main.tf" = <<-EOT
        resource "aws_s3_bucket" "this" {
          bucket_prefix = "data-"
        }

        output "id" {
          value = aws_s3_bucket.this.id
        }
      EOT
    }
  }

  example "good" {
    plan   = "examples/s3_nocmk/good-8.plan.json"
    config = <<-EOT
      variable "kms_key_arn" {
        type = string
      }

      variable "bucket" {
        type = string
      }

      # The key is not known before apply: no finding.
      resource "aws_s3_bucket" "unknown_key" {
        bucket = "unknown-key-bucket"
      }

      resource "aws_s3_bucket_server_side_encryption_configuration" "unknown_key" {
        bucket = aws_s3_bucket.unknown_key.id
        rule {
          apply_server_side_encryption_by_default {
            sse_algorithm     = "aws:kms"
            kms_master_key_id = var.kms_key_arn
          }
        }
      }

      # Which bucket this configures is not known before apply: no finding on any bucket
      # of the configuration.
      resource "aws_s3_bucket_server_side_encryption_configuration" "unknown_bucket" {
        bucket = var.bucket
        rule {
          apply_server_side_encryption_by_default {
            sse_algorithm = "AES256"
          }
        }
      }
    EOT
  }
}
