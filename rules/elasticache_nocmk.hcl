rule "elasticache_nocmk" {
  title          = "ElastiCache data at rest is not encrypted with a customer-managed KMS key"
  severity       = "medium"
  resource_types = ["aws_elasticache_replication_group", "aws_elasticache_serverless_cache"]
  aliases        = ["CKV_AWS_191", "CKV_AWS_29", "AVD-AWS-0045", "aws-elasticache-enable-at-rest-encryption"]
  tags           = ["security", "encryption", "kms", "cmk", "elasticache"]
  family         = "cmk"
  compliance = {
    "PCI DSS 4.0"    = ["3.5.1", "3.6.1"]
    "HIPAA"          = ["164.312(a)(2)(iv)", "164.312(e)(2)(ii)"]
    "SOC 2"          = ["CC6.1", "CC6.7"]
    "NIST 800-53 r5" = ["SC-12", "SC-28"]
  }
  references = [
    "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/at-rest-encryption.html",
    "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/elasticache_replication_group#at_rest_encryption_enabled",
    "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/elasticache_replication_group#kms_key_id",
    "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/elasticache_serverless_cache#kms_key_id",
    "https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-mgmt",
  ]

  # A serverless cache is always encrypted at rest. A replication group is when
  # at_rest_encryption_enabled says so; left out, the provider's default depends on the
  # engine (false for redis, the default engine; true for valkey). A member of a global
  # datastore (global_replication_group_id) inherits the setting from the primary.
  # at_rest_encryption_enabled is a string in provider 6 ("true"), a bool before.
  locals {
    group       = resource_type == "aws_elasticache_replication_group"
    engine      = lower(coalesce(try(resource.engine, null), "redis"))
    secondary   = try(resource.global_replication_group_id, null) != null
    at_rest     = try(resource.at_rest_encryption_enabled, null)
    at_rest_off = local.at_rest != null && tostring(local.at_rest) != "true"
  }

  # Checks run in order; the first one that is false is the finding. A check whose
  # condition cannot be known before apply finds nothing by itself (docs/writing-rules.md).
  check {
    condition = !local.group || local.secondary || local.at_rest != null || local.engine != "redis"
    at        = resource
    message   = "at_rest_encryption_enabled is not set, which for the redis engine means false: ElastiCache writes the cache's data to disk and its backups to S3 unencrypted"
    fix {
      applicability = "unsafe"
      replaces      = true
      note          = "At-rest encryption and its key cannot change in place: for a replication group that already exists, Terraform replaces it, losing every key in the cache (a final snapshot is taken only if final_snapshot_identifier is set). Apply it to groups the plan creates; migrate the others through a backup restored into a new, encrypted group."
      set {
        at_rest_encryption_enabled = true
        kms_key_id                 = key.arn
      }
    }
  }
  check {
    condition = !local.group || local.secondary || !local.at_rest_off
    at        = resource.at_rest_encryption_enabled
    message   = "at_rest_encryption_enabled is ${describe(local.at_rest)}: ElastiCache writes the cache's data to disk and its backups to S3 unencrypted"
    fix {
      applicability = "unsafe"
      replaces      = true
      note          = "At-rest encryption and its key cannot change in place: for a replication group that already exists, Terraform replaces it, losing every key in the cache (a final snapshot is taken only if final_snapshot_identifier is set). Apply it to groups the plan creates; migrate the others through a backup restored into a new, encrypted group."
      set {
        at_rest_encryption_enabled = true
        kms_key_id                 = key.arn
      }
    }
  }
  check {
    condition = kms_key_owner(resource.kms_key_id) != "none"
    at        = resource.kms_key_id
    message   = "kms_key_id is not set: ElastiCache encrypts the data at rest under its default service-managed key, which AWS owns"
    fix {
      applicability = "unsafe"
      replaces      = true
      note          = "The key cannot change in place: for a cache that already exists, Terraform replaces it, losing every key in the cache (a replication group takes a final snapshot only if final_snapshot_identifier is set). Apply it to caches the plan creates; migrate the others through a snapshot restored into a new cache."
      set {
        kms_key_id = key.arn
      }
    }
  }
  check {
    condition = kms_key_owner(resource.kms_key_id) == "customer"
    at        = resource.kms_key_id
    message   = "kms_key_id ${describe(resource.kms_key_id)} is an AWS-managed key, whose policy nobody can edit: ElastiCache takes only customer-managed keys"
    fix {
      applicability = "unsafe"
      replaces      = true
      note          = "The key cannot change in place: for a cache that already exists, Terraform replaces it, losing every key in the cache (a replication group takes a final snapshot only if final_snapshot_identifier is set). Apply it to caches the plan creates; migrate the others through a snapshot restored into a new cache."
      set {
        kms_key_id = key.arn
      }
    }
  }

  description = <<-EOT
    ElastiCache (Valkey, Redis OSS) keeps session data, tokens, cached query results and
    whatever else the application puts in it, and writes it to disk during sync, swap and
    backup, and to S3 as snapshots. At-rest encryption protects those copies: ElastiCache
    uses either its default service-managed key, which AWS owns, or a symmetric
    customer-managed KMS key named in `kms_key_id`. Only the latter lets you decide, through
    its key policy, who can restore a snapshot, see every use of the key in CloudTrail, and
    cut off access to all copies by disabling the key.

    A serverless cache is always encrypted at rest. A replication group is only when
    `at_rest_encryption_enabled` is true; left out, the AWS provider defaults it to false for
    the `redis` engine (the default engine) and to true for `valkey`. A member of a global
    datastore inherits the setting from the primary group.

    Neither the encryption setting nor the key can change on an existing cache: fixing it
    means creating a new cache (from a backup) and moving clients to it.

    tfcheck follows `kms_key_id` through variables, locals, module arguments and outputs and
    data sources. It passes a key created by `aws_kms_key`, `aws_kms_alias` or
    `aws_kms_replica_key`, a key or customer alias ARN, and a data source that looks up a
    customer alias. It reports nothing when the key cannot be known before apply.
  EOT

  remediation = <<-EOT
    Create a key (or use an existing one), turn at-rest encryption on and name the key in
    `kms_key_id`:

    ```hcl
    resource "aws_kms_key" "cache" {
      description         = "ElastiCache data at rest"
      enable_key_rotation = true
    }

    resource "aws_elasticache_replication_group" "sessions" {
      replication_group_id       = "sessions"
      description                = "session store"
      engine                     = "valkey"
      node_type                  = "cache.t4g.small"
      num_cache_clusters         = 2
      at_rest_encryption_enabled = true
      kms_key_id                 = aws_kms_key.cache.arn
    }

    resource "aws_elasticache_serverless_cache" "cache" {
      name       = "cache"
      engine     = "valkey"
      kms_key_id = aws_kms_key.cache.arn
    }
    ```

    Both settings are fixed at creation: Terraform replaces an existing cache, losing its
    contents. Take a backup of the old cache, create the new one from it
    (`snapshot_name` / `snapshot_arns`, or `snapshot_arns_to_restore` for serverless) with the
    key set, point the clients at the new endpoint, then delete the old cache.
  EOT

  example "bad" {
    expect = ["aws_elasticache_replication_group.plain"]
    config = <<-EOT
      resource "aws_elasticache_replication_group" "plain" {
        replication_group_id = "plain"
        description          = "redis without at-rest encryption"
        node_type            = "cache.t4g.small"
        num_cache_clusters   = 1
      }
    EOT
  }

  example "bad" {
    expect = ["aws_elasticache_replication_group.off", "aws_elasticache_replication_group.off_string"]
    config = <<-EOT
      resource "aws_elasticache_replication_group" "off" {
        replication_group_id       = "off"
        description                = "at-rest encryption off"
        engine                     = "valkey"
        node_type                  = "cache.t4g.small"
        num_cache_clusters         = 1
        at_rest_encryption_enabled = false
      }

      resource "aws_elasticache_replication_group" "off_string" {
        replication_group_id       = "off-string"
        description                = "at-rest encryption off, written as provider 6 reads it"
        node_type                  = "cache.t4g.small"
        num_cache_clusters         = 1
        at_rest_encryption_enabled = "false"
      }
    EOT
  }

  example "bad" {
    expect = ["aws_elasticache_replication_group.default_key", "aws_elasticache_replication_group.valkey_default", "aws_elasticache_serverless_cache.plain"]
    config = <<-EOT
      resource "aws_elasticache_replication_group" "default_key" {
        replication_group_id       = "default-key"
        description                = "encrypted under the service key"
        node_type                  = "cache.t4g.small"
        num_cache_clusters         = 1
        at_rest_encryption_enabled = true
      }

      # valkey encrypts at rest by default, under the service key.
      resource "aws_elasticache_replication_group" "valkey_default" {
        replication_group_id = "valkey-default"
        description          = "valkey defaults"
        engine               = "valkey"
        node_type            = "cache.t4g.small"
        num_cache_clusters   = 1
      }

      resource "aws_elasticache_serverless_cache" "plain" {
        name   = "plain"
        engine = "valkey"
      }
    EOT
  }

  example "bad" {
    expect = ["aws_elasticache_replication_group.by_alias", "aws_elasticache_replication_group.by_arn", "aws_elasticache_serverless_cache.by_data"]
    config = <<-EOT
      data "aws_kms_alias" "elasticache" {
        name = "alias/aws/elasticache"
      }

      resource "aws_elasticache_replication_group" "by_alias" {
        replication_group_id       = "by-alias"
        description                = "AWS-managed alias"
        node_type                  = "cache.t4g.small"
        num_cache_clusters         = 1
        at_rest_encryption_enabled = true
        kms_key_id                 = "alias/aws/elasticache"
      }

      resource "aws_elasticache_replication_group" "by_arn" {
        replication_group_id       = "by-arn"
        description                = "AWS-managed alias ARN"
        node_type                  = "cache.t4g.small"
        num_cache_clusters         = 1
        at_rest_encryption_enabled = true
        kms_key_id                 = "arn:aws:kms:eu-west-1:111122223333:alias/aws/elasticache"
      }

      resource "aws_elasticache_serverless_cache" "by_data" {
        name       = "by-data"
        engine     = "redis"
        kms_key_id = data.aws_kms_alias.elasticache.target_key_arn
      }
    EOT
  }

  example "good" {
    config = <<-EOT
      resource "aws_kms_key" "cache" {
        enable_key_rotation = true
      }

      resource "aws_elasticache_replication_group" "app" {
        replication_group_id       = "app"
        description                = "customer key"
        node_type                  = "cache.t4g.small"
        num_cache_clusters         = 2
        at_rest_encryption_enabled = true
        kms_key_id                 = aws_kms_key.cache.arn
      }

      resource "aws_elasticache_replication_group" "valkey_by_arn" {
        replication_group_id = "valkey-by-arn"
        description          = "valkey encrypts by default; key ARN"
        engine               = "valkey"
        node_type            = "cache.t4g.small"
        num_cache_clusters   = 1
        kms_key_id           = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
      }

      resource "aws_elasticache_serverless_cache" "by_customer_alias" {
        name       = "by-customer-alias"
        engine     = "valkey"
        kms_key_id = "arn:aws:kms:eu-west-1:111122223333:alias/cache"
      }
    EOT
  }

  example "good" {
    config = <<-EOT
      variable "kms_key_arn" {
        type = string
      }

      # The key is not known before apply: no finding.
      resource "aws_elasticache_replication_group" "unknown" {
        replication_group_id       = "unknown"
        description                = "key from a variable"
        node_type                  = "cache.t4g.small"
        num_cache_clusters         = 1
        at_rest_encryption_enabled = "true"
        kms_key_id                 = var.kms_key_arn
      }

      resource "aws_elasticache_serverless_cache" "unknown" {
        name       = "unknown"
        engine     = "valkey"
        kms_key_id = var.kms_key_arn
      }
    EOT
  }
}
