rule "rds_nocmk" {
  title          = "Database storage is not encrypted with a customer-managed KMS key"
  severity       = "medium"
  resource_types = ["aws_db_instance", "aws_rds_cluster", "aws_docdb_cluster", "aws_neptune_cluster"]
  aliases = [
    "CKV_AWS_327",
    "CKV_AWS_182",
    "CKV_AWS_347",
    "AVD-AWS-0079",
    "aws-rds-encrypt-cluster-storage-data",
    "AVD-AWS-0022",
    "aws-documentdb-encryption-customer-key",
    "AVD-AWS-0128",
    "aws-neptune-encryption-customer-key",
    "CKV_AWS_16",
    "CKV_AWS_96",
    "CKV_AWS_74",
    "CKV_AWS_44",
    "AVD-AWS-0080",
    "aws-rds-encrypt-instance-storage-data",
    "AVD-AWS-0021",
    "aws-documentdb-enable-storage-encryption",
    "AVD-AWS-0076",
    "aws-neptune-enable-storage-encryption",
  ]
  tags = ["security", "encryption", "kms", "cmk", "rds"]
  family= "cmk"
  compliance = {
    "PCI DSS 4.0"    = ["3.5.1", "3.6.1"]
    "HIPAA"          = ["164.312(a)(2)(iv)", "164.312(e)(2)(ii)"]
    "SOC 2"          = ["CC6.1", "CC6.7"]
    "NIST 800-53 r5" = ["SC-12", "SC-28"]
  }
  references = [
    "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html",
    "https://docs.aws.amazon.com/documentdb/latest/developerguide/encryption-at-rest.html",
    "https://docs.aws.amazon.com/neptune/latest/userguide/encrypt.html",
    "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/db_instance#kms_key_id",
    "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/rds_cluster#kms_key_id",
    "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/docdb_cluster#kms_key_id",
    "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/neptune_cluster#kms_key_arn",
    "https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-mgmt",
  ]

  locals {
    instance = resource_type == "aws_db_instance"
    aurora   = resource_type == "aws_rds_cluster"
    neptune  = resource_type == "aws_neptune_cluster"
    service  = local.instance || local.aurora ? "RDS" : local.neptune ? "Neptune" : "DocumentDB"
    # Neptune names its key kms_key_arn; the others kms_key_id.
    key      = local.neptune ? resource.kms_key_arn : resource.kms_key_id
    # Aurora Serverless v1 clusters are always encrypted.
    serverless_v1 = local.aurora && resource.engine_mode == "serverless"
    encrypted     = local.serverless_v1 || resource.storage_encrypted == true
    # A replica, a restored snapshot or a point-in-time restore takes its source's
    # encryption and key unless the key is named: the source is where to check it.
    # (An empty string is the provider's "not set".)
    derived = (length([
      for v in [try(resource.replicate_source_db, null), try(resource.replication_source_identifier, null), resource.snapshot_identifier] :
      v if v != null && v != ""
    ]) > 0 || try(length(resource.restore_to_point_in_time), 0) > 0)
  }

  # Checks run in order; the first one that is false is the finding. A check whose
  # condition cannot be known before apply finds nothing by itself (docs/writing-rules.md).
  check {
    condition = local.neptune || local.derived || local.encrypted
    at        = resource.storage_encrypted
    message   = "storage_encrypted is ${resource.storage_encrypted == null ? "not set (the default is false)" : describe(resource.storage_encrypted)}: ${local.service} stores the data, its backups and snapshots unencrypted"
    fix {
      applicability = "unsafe"
      replaces      = true
      note          = "Encryption cannot change in place: for a database that already exists, Terraform replaces it, and its data is lost. Apply it to databases the plan creates; migrate the others (snapshot, copy the snapshot with the key, restore from the copy)."
      set {
        storage_encrypted = true
        kms_key_id        = key.arn
      }
    }
  }
  check {
    condition = !local.neptune || local.derived || local.encrypted
    at        = resource.storage_encrypted
    message   = "storage_encrypted is ${resource.storage_encrypted == null ? "not set (the default is false)" : describe(resource.storage_encrypted)}: Neptune stores the data, its backups and snapshots unencrypted"
    fix {
      applicability = "unsafe"
      replaces      = true
      note          = "Encryption cannot change in place: for a cluster that already exists, Terraform replaces it, and its data is lost. Apply it to clusters the plan creates; migrate the others (snapshot, copy the snapshot with the key, restore from the copy)."
      set {
        storage_encrypted = true
        kms_key_arn       = key.arn
      }
    }
  }
  check {
    condition = local.neptune || local.derived || kms_key_owner(local.key) != "none"
    at        = resource.kms_key_id
    message   = "${resource.storage_encrypted == true ? "storage_encrypted is true" : "engine_mode is \"serverless\" (Aurora Serverless v1 is always encrypted)"} but kms_key_id is not set: ${local.service} uses the AWS-managed key aws/rds, whose policy nobody can edit"
    fix {
      applicability = "unsafe"
      replaces      = true
      note          = "The key cannot change in place: for a database that already exists, Terraform replaces it, and its data is lost. Apply it to databases the plan creates; migrate the others (snapshot, copy the snapshot with the key, restore from the copy)."
      set {
        kms_key_id = key.arn
      }
    }
  }
  check {
    condition = !local.neptune || local.derived || kms_key_owner(local.key) != "none"
    at        = resource.kms_key_arn
    message   = "storage_encrypted is true but kms_key_arn is not set: Neptune uses the AWS-managed key aws/rds, whose policy nobody can edit"
    fix {
      applicability = "unsafe"
      replaces      = true
      note          = "The key cannot change in place: for a cluster that already exists, Terraform replaces it, and its data is lost. Apply it to clusters the plan creates; migrate the others (snapshot, copy the snapshot with the key, restore from the copy)."
      set {
        kms_key_arn = key.arn
      }
    }
  }
  # Also for replicas and restores that name a key. No fix: a cross-Region replica needs
  # a key of its own Region.
  check {
    condition = local.neptune || kms_key_owner(local.key) == "none" || kms_key_owner(local.key) == "customer"
    at        = resource.kms_key_id
    message   = "kms_key_id ${describe(local.key)} is the AWS-managed key aws/rds, whose policy nobody can edit"
  }
  check {
    condition = !local.neptune || kms_key_owner(local.key) == "none" || kms_key_owner(local.key) == "customer"
    at        = resource.kms_key_arn
    message   = "kms_key_arn ${describe(local.key)} is the AWS-managed key aws/rds, whose policy nobody can edit"
  }

  description = <<-EOT
    RDS DB instances, Aurora and Multi-AZ DB clusters, DocumentDB clusters and Neptune
    clusters store their data, logs, automated backups and snapshots unencrypted unless
    `storage_encrypted` is true (the provider's default is false; Aurora Serverless v1,
    `engine_mode = "serverless"`, is always encrypted). Encrypted, they use the key named in
    `kms_key_id` (`kms_key_arn` for Neptune), else the AWS-managed `aws/rds` key, which
    DocumentDB and Neptune use too.

    Only a customer-managed key lets you decide who may read the storage and, above all, the
    snapshots: a snapshot under `aws/rds` cannot be shared with another account, and one
    under your key can only be restored by whom your key policy allows. Every use of the key
    is in CloudTrail under your key, and disabling it cuts off the database and every copy.
    With `aws/rds`, anyone who can restore or copy a snapshot in the account can read it.

    Neither the encryption nor the key can change after creation: Terraform replaces the
    database, and the data goes with it. Migrating means a snapshot, a copy of it under the
    new key, and a restore. A read replica (`replicate_source_db`,
    `replication_source_identifier`), a restored snapshot (`snapshot_identifier`) or a
    point-in-time restore takes its source's encryption and key unless it names a key: the
    rule reports nothing on it then, and checks the source where the configuration has it.
    A key it names must still be customer-managed (a cross-Region replica needs a key of
    its own Region).

    tfcheck follows the key through variables, locals, module arguments and outputs and
    data sources. It passes a key created by `aws_kms_key`, `aws_kms_alias` or
    `aws_kms_replica_key`, a key or customer alias ARN, and a data source that looks up a
    customer alias. It reports nothing when the key cannot be known before apply.
  EOT

  remediation = <<-EOT
    Turn storage encryption on and name your key (`kms_key_arn` on `aws_neptune_cluster`):

    ```hcl
    resource "aws_kms_key" "db" {
      description         = "Database storage"
      enable_key_rotation = true
    }

    resource "aws_db_instance" "app" {
      identifier        = "app"
      engine            = "postgres"
      instance_class    = "db.t4g.micro"
      allocated_storage = 20
      username          = "app"
      manage_master_user_password = true

      storage_encrypted = true
      kms_key_id        = aws_kms_key.db.arn
    }
    ```

    An existing database cannot be re-keyed in place. Take a snapshot, copy it with
    `--kms-key-id` set to your key (`aws rds copy-db-snapshot` or
    `copy-db-cluster-snapshot`), restore a new database from the copy
    (`snapshot_identifier`), move the clients, then delete the old one.
  EOT

  example "bad" {
    expect = ["aws_db_instance.plain", "aws_rds_cluster.off", "aws_docdb_cluster.plain", "aws_neptune_cluster.plain"]
    config = <<-EOT
      resource "aws_db_instance" "plain" {
        identifier        = "plain"
        engine            = "postgres"
        instance_class    = "db.t4g.micro"
        allocated_storage = 20
      }

      resource "aws_rds_cluster" "off" {
        cluster_identifier = "off"
        engine             = "aurora-postgresql"
        storage_encrypted  = false
      }

      resource "aws_docdb_cluster" "plain" {
        cluster_identifier = "plain"
      }

      resource "aws_neptune_cluster" "plain" {
        cluster_identifier = "plain"
      }
    EOT
  }

  example "bad" {
    expect = ["aws_db_instance.default_key", "aws_rds_cluster.serverless", "aws_docdb_cluster.default_key", "aws_neptune_cluster.default_key"]
    config = <<-EOT
      resource "aws_db_instance" "default_key" {
        identifier        = "default-key"
        engine            = "mysql"
        instance_class    = "db.t4g.micro"
        allocated_storage = 20
        storage_encrypted = true
      }

      # Aurora Serverless v1 is always encrypted, under aws/rds without a key.
      resource "aws_rds_cluster" "serverless" {
        cluster_identifier = "serverless"
        engine             = "aurora-mysql"
        engine_mode        = "serverless"
      }

      resource "aws_docdb_cluster" "default_key" {
        cluster_identifier = "default-key"
        storage_encrypted  = true
      }

      resource "aws_neptune_cluster" "default_key" {
        cluster_identifier = "default-key"
        storage_encrypted  = true
      }
    EOT
  }

  example "bad" {
    expect = ["aws_db_instance.alias", "aws_rds_cluster.alias_arn", "aws_docdb_cluster.lookup", "aws_neptune_cluster.alias", "aws_db_instance.replica"]
    config = <<-EOT
      data "aws_kms_alias" "rds" {
        name = "alias/aws/rds"
      }

      resource "aws_db_instance" "alias" {
        identifier        = "alias"
        engine            = "postgres"
        instance_class    = "db.t4g.micro"
        allocated_storage = 20
        storage_encrypted = true
        kms_key_id        = "alias/aws/rds"
      }

      resource "aws_rds_cluster" "alias_arn" {
        cluster_identifier = "alias-arn"
        engine             = "aurora-postgresql"
        storage_encrypted  = true
        kms_key_id         = "arn:aws:kms:eu-west-1:111122223333:alias/aws/rds"
      }

      resource "aws_docdb_cluster" "lookup" {
        cluster_identifier = "lookup"
        storage_encrypted  = true
        kms_key_id         = data.aws_kms_alias.rds.target_key_arn
      }

      resource "aws_neptune_cluster" "alias" {
        cluster_identifier = "alias"
        storage_encrypted  = true
        kms_key_arn        = "arn:aws:kms:eu-west-1:111122223333:alias/aws/rds"
      }

      # A cross-Region replica that names the AWS-managed key of its Region.
      resource "aws_db_instance" "replica" {
        identifier          = "replica"
        instance_class      = "db.t4g.micro"
        replicate_source_db = "arn:aws:rds:eu-west-1:111122223333:db:source"
        kms_key_id          = "arn:aws:kms:us-east-1:111122223333:alias/aws/rds"
      }
    EOT
  }

  example "good" {
    config = <<-EOT
      resource "aws_kms_key" "db" {
        enable_key_rotation = true
      }

      resource "aws_db_instance" "app" {
        identifier        = "app"
        engine            = "postgres"
        instance_class    = "db.t4g.micro"
        allocated_storage = 20
        storage_encrypted = true
        kms_key_id        = aws_kms_key.db.arn
      }

      resource "aws_rds_cluster" "by_arn" {
        cluster_identifier = "by-arn"
        engine             = "aurora-postgresql"
        storage_encrypted  = true
        kms_key_id         = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
      }

      resource "aws_docdb_cluster" "by_alias" {
        cluster_identifier = "by-alias"
        storage_encrypted  = true
        kms_key_id         = "arn:aws:kms:eu-west-1:111122223333:alias/team-db"
      }

      resource "aws_neptune_cluster" "by_key" {
        cluster_identifier = "by-key"
        storage_encrypted  = true
        kms_key_arn        = aws_kms_key.db.arn
      }

      # A read replica in the same Region has its source's key.
      resource "aws_db_instance" "replica" {
        identifier          = "replica"
        instance_class      = "db.t4g.micro"
        replicate_source_db = aws_db_instance.app.identifier
      }

      # A restored snapshot keeps the snapshot's encryption.
      resource "aws_rds_cluster" "restored" {
        cluster_identifier  = "restored"
        engine              = "aurora-postgresql"
        snapshot_identifier = "arn:aws:rds:eu-west-1:111122223333:cluster-snapshot:nightly"
      }
    EOT
  }

  example "good" {
    config = <<-EOT
      variable "kms_key_arn" {
        type = string
      }

      # The key is not known before apply: no finding.
      resource "aws_db_instance" "unknown" {
        identifier        = "unknown"
        engine            = "postgres"
        instance_class    = "db.t4g.micro"
        allocated_storage = 20
        storage_encrypted = true
        kms_key_id        = var.kms_key_arn
      }

      resource "aws_neptune_cluster" "unknown" {
        cluster_identifier = "unknown"
        storage_encrypted  = true
        kms_key_arn        = var.kms_key_arn
      }
    EOT
  }
}
