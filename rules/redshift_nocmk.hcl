rule "redshift_nocmk" {
  title          = "Redshift data is not encrypted with a customer-managed KMS key"
  severity       = "medium"
  resource_types = ["aws_redshift_cluster", "aws_redshiftserverless_namespace"]
  aliases        = [
    "CKV_AWS_142",
    "CKV_AWS_282",
    "AVD-AWS-0084",
    "aws-redshift-encryption-customer-key",
    "AWS094",
    "CKV_AWS_64",
  ]
  tags           = ["security", "encryption", "kms", "cmk", "redshift"]
  family         = "cmk"
  compliance = {
    "PCI DSS 4.0"    = ["3.5.1", "3.6.1"]
    "HIPAA"          = ["164.312(a)(2)(iv)", "164.312(e)(2)(ii)"]
    "SOC 2"          = ["CC6.1", "CC6.7"]
    "NIST 800-53 r5" = ["SC-12", "SC-28"]
  }
  references = [
    "https://docs.aws.amazon.com/redshift/latest/mgmt/working-with-db-encryption.html",
    "https://docs.aws.amazon.com/redshift/latest/mgmt/changing-cluster-encryption.html",
    "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/redshift_cluster#kms_key_id",
    "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/redshiftserverless_namespace#kms_key_id",
    "https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-mgmt",
  ]

  # A provisioned cluster has `encrypted` (a string in provider 6, where it defaults to
  # true; a bool defaulting to false before). A serverless namespace is always encrypted, and
  # reads kms_key_id = "AWS_OWNED_KMS_KEY" when it uses the AWS-owned key.
  locals {
    cluster   = resource_type == "aws_redshift_cluster"
    encrypted = try(resource.encrypted, null)
  }

  # Checks run in order; the first one that is false is the finding. A check whose
  # condition cannot be known before apply finds nothing by itself (docs/writing-rules.md). kms_key_owner() reads
  # "AWS_OWNED_KMS_KEY" as an AWS key.
  check {
    condition = !local.cluster || local.encrypted == null || tostring(local.encrypted) == "true"
    at        = resource.encrypted
    message   = "encrypted is ${describe(local.encrypted)}: Redshift stores the cluster's data blocks, metadata and snapshots unencrypted"
    fix {
      applicability = "unsafe"
      note          = "Redshift encrypts an existing cluster in place by migrating it to a new encrypted cluster: it is read-only during the migration, which can take hours for a large cluster. The cluster then depends on the key: disabling or deleting it makes the data unreadable."
      set {
        encrypted  = true
        kms_key_id = key.arn
      }
    }
  }
  check {
    condition = !local.cluster || local.encrypted != null || kms_key_owner(resource.kms_key_id) != "none"
    at        = resource
    message   = "encrypted and kms_key_id are not set: the cluster is encrypted under a key AWS owns (AWS provider 6, which sends encrypted = true) or created unencrypted (earlier providers)"
    fix {
      applicability = "unsafe"
      note          = "Redshift re-encrypts an existing cluster in place by migrating it to a new cluster: it is read-only during the migration, which can take hours for a large cluster. The cluster then depends on the key: disabling or deleting it makes the data unreadable."
      set {
        encrypted  = true
        kms_key_id = key.arn
      }
    }
  }
  check {
    condition = kms_key_owner(resource.kms_key_id) != "none"
    at        = resource.kms_key_id
    message   = "kms_key_id is not set: Redshift encrypts the data and its snapshots under its default key, which AWS owns (or the AWS-managed key aws/redshift on older clusters)"
    fix {
      applicability = "unsafe"
      note          = "Redshift re-encrypts existing data in place: a provisioned cluster is migrated to a new cluster and is read-only meanwhile, which can take hours; a serverless namespace is re-encrypted in the background. The data then depends on the key: disabling or deleting it makes the data unreadable."
      set {
        kms_key_id = key.arn
      }
    }
  }
  check {
    condition = kms_key_owner(resource.kms_key_id) == "customer"
    at        = resource.kms_key_id
    message   = "kms_key_id ${describe(resource.kms_key_id)} is a key AWS owns or manages (AWS_OWNED_KMS_KEY, or the AWS-managed key aws/redshift), whose policy nobody can edit"
    fix {
      applicability = "unsafe"
      note          = "Redshift re-encrypts existing data in place: a provisioned cluster is migrated to a new cluster and is read-only meanwhile, which can take hours; a serverless namespace is re-encrypted in the background. The data then depends on the key: disabling or deleting it makes the data unreadable."
      set {
        kms_key_id = key.arn
      }
    }
  }

  description = <<-EOT
    A Redshift cluster or Serverless namespace holds the warehouse: every table, its system
    metadata, and the automated and manual snapshots in S3. Redshift encrypts them under a
    hierarchy of keys whose root is either a key AWS owns (the default; older clusters used
    the AWS-managed key `aws/redshift`), or a customer-managed KMS key named in `kms_key_id`.
    Only a customer-managed key lets you decide, through its key policy, who can restore or
    share a snapshot (snapshots encrypted with AWS keys cannot be shared with other
    accounts), see every use of the key in CloudTrail, and cut off access to every copy by
    disabling the key.

    For `aws_redshift_cluster`, `encrypted = false` leaves the cluster unencrypted. Left
    out, AWS provider 6 sends `encrypted = true` (the cluster is encrypted under a key AWS
    owns unless `kms_key_id` names one), while earlier providers sent `false`. A Serverless
    namespace is always encrypted; it reads `kms_key_id = "AWS_OWNED_KMS_KEY"` when no key
    of yours is set.

    Both change in place: Redshift migrates a provisioned cluster to a new encrypted cluster
    (read-only during the migration) and re-encrypts a namespace in the background. The data
    then depends on the key, so keep it enabled and protected.

    tfcheck follows `kms_key_id` through variables, locals, module arguments and outputs and
    data sources. It passes a key created by `aws_kms_key`, `aws_kms_alias` or
    `aws_kms_replica_key`, a key or customer alias ARN, and a data source that looks up a
    customer alias. It reports nothing when the key cannot be known before apply.
  EOT

  remediation = <<-EOT
    Create a key (or use an existing one) and name its ARN in `kms_key_id` (with
    `encrypted = true` on a provisioned cluster):

    ```hcl
    resource "aws_kms_key" "redshift" {
      description         = "Redshift data"
      enable_key_rotation = true
    }

    resource "aws_redshift_cluster" "warehouse" {
      cluster_identifier     = "warehouse"
      node_type              = "ra3.xlplus"
      master_username        = "admin"
      manage_master_password = true
      encrypted              = true
      kms_key_id             = aws_kms_key.redshift.arn
    }

    resource "aws_redshiftserverless_namespace" "analytics" {
      namespace_name = "analytics"
      kms_key_id     = aws_kms_key.redshift.arn
    }
    ```

    The change is applied in place, but a provisioned cluster is read-only while Redshift
    migrates it to the new key: schedule it in a maintenance window. Snapshots taken before
    the change keep their old key; delete or re-copy them as your retention rules allow.
  EOT

  example "bad" {
    expect = ["aws_redshift_cluster.off", "aws_redshift_cluster.plain"]
    config = <<-EOT
      resource "aws_redshift_cluster" "plain" {
        cluster_identifier     = "plain"
        node_type              = "ra3.xlplus"
        master_username        = "admin"
        manage_master_password = true
      }

      resource "aws_redshift_cluster" "off" {
        cluster_identifier     = "off"
        node_type              = "ra3.xlplus"
        master_username        = "admin"
        manage_master_password = true
        encrypted              = false
      }
    EOT
  }

  example "bad" {
    expect = ["aws_redshift_cluster.default_key", "aws_redshiftserverless_namespace.aws_owned", "aws_redshiftserverless_namespace.plain"]
    config = <<-EOT
      resource "aws_redshift_cluster" "default_key" {
        cluster_identifier     = "default-key"
        node_type              = "ra3.xlplus"
        master_username        = "admin"
        manage_master_password = true
        encrypted              = "true"
      }

      resource "aws_redshiftserverless_namespace" "plain" {
        namespace_name = "plain"
      }

      resource "aws_redshiftserverless_namespace" "aws_owned" {
        namespace_name = "aws-owned"
        kms_key_id     = "AWS_OWNED_KMS_KEY"
      }
    EOT
  }

  example "bad" {
    expect = ["aws_redshift_cluster.by_arn", "aws_redshiftserverless_namespace.by_data"]
    config = <<-EOT
      data "aws_kms_alias" "redshift" {
        name = "alias/aws/redshift"
      }

      resource "aws_redshift_cluster" "by_arn" {
        cluster_identifier     = "by-arn"
        node_type              = "ra3.xlplus"
        master_username        = "admin"
        manage_master_password = true
        encrypted              = true
        kms_key_id             = "arn:aws:kms:eu-west-1:111122223333:alias/aws/redshift"
      }

      resource "aws_redshiftserverless_namespace" "by_data" {
        namespace_name = "by-data"
        kms_key_id     = data.aws_kms_alias.redshift.target_key_arn
      }
    EOT
  }

  example "good" {
    config = <<-EOT
      resource "aws_kms_key" "redshift" {
        enable_key_rotation = true
      }

      resource "aws_redshift_cluster" "warehouse" {
        cluster_identifier     = "warehouse"
        node_type              = "ra3.xlplus"
        master_username        = "admin"
        manage_master_password = true
        encrypted              = true
        kms_key_id             = aws_kms_key.redshift.arn
      }

      resource "aws_redshift_cluster" "by_key_arn" {
        cluster_identifier     = "by-key-arn"
        node_type              = "ra3.xlplus"
        master_username        = "admin"
        manage_master_password = true
        kms_key_id             = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
      }

      resource "aws_redshiftserverless_namespace" "by_customer_alias" {
        namespace_name = "by-customer-alias"
        kms_key_id     = "arn:aws:kms:eu-west-1:111122223333:alias/redshift"
      }
    EOT
  }

  example "good" {
    config = <<-EOT
      variable "kms_key_arn" {
        type = string
      }

      # The key is not known before apply: no finding.
      resource "aws_redshift_cluster" "unknown" {
        cluster_identifier     = "unknown"
        node_type              = "ra3.xlplus"
        master_username        = "admin"
        manage_master_password = true
        encrypted              = true
        kms_key_id             = var.kms_key_arn
      }

      resource "aws_redshiftserverless_namespace" "unknown" {
        namespace_name = "unknown"
        kms_key_id     = var.kms_key_arn
      }
    EOT
  }
}
