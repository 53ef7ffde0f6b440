rule "msk_nocmk" {
  title          = "MSK cluster is not encrypted at rest with a customer-managed KMS key"
  severity       = "medium"
  resource_types = ["aws_msk_cluster"]
  aliases        = ["AVD-AWS-0179", "aws-msk-enable-at-rest-encryption"]
  tags           = ["security", "encryption", "kms", "cmk", "msk"]
  family         = "cmk"
  compliance = {
    "PCI DSS 4.0"    = ["3.5.1", "3.6.1"]
    "HIPAA"          = ["164.312(a)(2)(iv)", "164.312(e)(2)(ii)"]
    "SOC 2"          = ["CC6.1", "CC6.7"]
    "NIST 800-53 r5" = ["SC-12", "SC-28"]
  }
  references = [
    "https://docs.aws.amazon.com/msk/latest/developerguide/msk-encryption.html",
    "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/msk_cluster#encryption_at_rest_kms_key_arn",
    "https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-mgmt",
  ]

  # Checks run in order; the first one that is false is the finding. A check whose
  # condition cannot be known before apply finds nothing by itself (docs/writing-rules.md). MSK always encrypts the brokers'
  # storage; only the key varies. (MSK Serverless has no key setting: it always uses a key
  # AWS manages, so aws_msk_serverless_cluster is not checked.)
  check {
    condition = kms_key_owner(try(resource.encryption_info[0].encryption_at_rest_kms_key_arn, null)) != "none"
    at        = resource.encryption_info[0].encryption_at_rest_kms_key_arn
    message   = "encryption_at_rest_kms_key_arn is not set: MSK encrypts the brokers' storage under the AWS-managed key aws/kafka, whose policy nobody can edit"
    fix {
      applicability = "unsafe"
      replaces      = true
      note          = "The key cannot change in place: for a cluster that already exists, Terraform replaces it, deleting every topic and message in it. Apply it to clusters the plan creates; migrate the others (MirrorMaker 2 or MSK Replicator into a new cluster)."
      set {
        encryption_info {
          encryption_at_rest_kms_key_arn = key.arn
        }
      }
    }
  }
  check {
    condition = kms_key_owner(try(resource.encryption_info[0].encryption_at_rest_kms_key_arn, null)) == "customer"
    at        = resource.encryption_info[0].encryption_at_rest_kms_key_arn
    message   = "encryption_at_rest_kms_key_arn ${describe(try(resource.encryption_info[0].encryption_at_rest_kms_key_arn, null))} is the AWS-managed key aws/kafka, whose policy nobody can edit"
    fix {
      applicability = "unsafe"
      replaces      = true
      note          = "The key cannot change in place: for a cluster that already exists, Terraform replaces it, deleting every topic and message in it. Apply it to clusters the plan creates; migrate the others (MirrorMaker 2 or MSK Replicator into a new cluster)."
      set {
        encryption_info {
          encryption_at_rest_kms_key_arn = key.arn
        }
      }
    }
  }

  description = <<-EOT
    An MSK cluster keeps every message of every topic on its brokers' EBS volumes for the
    topics' retention period. MSK always encrypts those volumes; without
    `encryption_info.encryption_at_rest_kms_key_arn` it uses the AWS-managed key
    `aws/kafka`, whose policy lets every principal in the account use it through MSK and
    nobody can change.

    Only a customer-managed key lets you decide, through its key policy, who can use the
    volumes' data keys, see every use of the key in CloudTrail, and cut off access to the
    data by disabling the key.

    The key is fixed when the cluster is created: the AWS provider replaces the cluster when
    it changes, deleting every topic. MSK Serverless clusters
    (`aws_msk_serverless_cluster`) cannot use a key of yours at all and are not checked.

    tfcheck follows `encryption_at_rest_kms_key_arn` through variables, locals, module
    arguments and outputs and data sources. It passes a key created by `aws_kms_key`,
    `aws_kms_alias` or `aws_kms_replica_key`, a key or customer alias ARN, and a data source
    that looks up a customer alias. It reports nothing when the key cannot be known before
    apply.
  EOT

  remediation = <<-EOT
    Create a key (or use an existing one) and name its ARN in `encryption_info`:

    ```hcl
    resource "aws_kms_key" "kafka" {
      description         = "MSK data at rest"
      enable_key_rotation = true
    }

    resource "aws_msk_cluster" "events" {
      cluster_name           = "events"
      kafka_version          = "3.6.0"
      number_of_broker_nodes = 3

      broker_node_group_info {
        instance_type   = "kafka.m5.large"
        client_subnets  = var.subnet_ids
        security_groups = [aws_security_group.kafka.id]
      }

      encryption_info {
        encryption_at_rest_kms_key_arn = aws_kms_key.kafka.arn
      }
    }
    ```

    An existing cluster is replaced when its key changes. Create the new cluster next to the
    old one, replicate the topics (MSK Replicator or MirrorMaker 2), move producers and then
    consumers to it, then delete the old cluster.
  EOT

  example "bad" {
    expect = ["aws_msk_cluster.no_key", "aws_msk_cluster.plain"]
    config = <<-EOT
      resource "aws_msk_cluster" "plain" {
        cluster_name           = "plain"
        kafka_version          = "3.6.0"
        number_of_broker_nodes = 3
        broker_node_group_info {
          instance_type   = "kafka.m5.large"
          client_subnets  = ["subnet-1", "subnet-2", "subnet-3"]
          security_groups = ["sg-1"]
        }
      }

      resource "aws_msk_cluster" "no_key" {
        cluster_name           = "no-key"
        kafka_version          = "3.6.0"
        number_of_broker_nodes = 3
        broker_node_group_info {
          instance_type   = "kafka.m5.large"
          client_subnets  = ["subnet-1", "subnet-2", "subnet-3"]
          security_groups = ["sg-1"]
        }
        encryption_info {
          encryption_in_transit {
            client_broker = "TLS"
          }
        }
      }
    EOT
  }

  example "bad" {
    expect = ["aws_msk_cluster.by_arn", "aws_msk_cluster.by_data"]
    config = <<-EOT
      data "aws_kms_alias" "kafka" {
        name = "alias/aws/kafka"
      }

      resource "aws_msk_cluster" "by_arn" {
        cluster_name           = "by-arn"
        kafka_version          = "3.6.0"
        number_of_broker_nodes = 3
        broker_node_group_info {
          instance_type   = "kafka.m5.large"
          client_subnets  = ["subnet-1", "subnet-2", "subnet-3"]
          security_groups = ["sg-1"]
        }
        encryption_info {
          encryption_at_rest_kms_key_arn = "arn:aws:kms:eu-west-1:111122223333:alias/aws/kafka"
        }
      }

      resource "aws_msk_cluster" "by_data" {
        cluster_name           = "by-data"
        kafka_version          = "3.6.0"
        number_of_broker_nodes = 3
        broker_node_group_info {
          instance_type   = "kafka.m5.large"
          client_subnets  = ["subnet-1", "subnet-2", "subnet-3"]
          security_groups = ["sg-1"]
        }
        encryption_info {
          encryption_at_rest_kms_key_arn = data.aws_kms_alias.kafka.target_key_arn
        }
      }
    EOT
  }

  example "good" {
    config = <<-EOT
      resource "aws_kms_key" "kafka" {
        enable_key_rotation = true
      }

      resource "aws_msk_cluster" "events" {
        cluster_name           = "events"
        kafka_version          = "3.6.0"
        number_of_broker_nodes = 3
        broker_node_group_info {
          instance_type   = "kafka.m5.large"
          client_subnets  = ["subnet-1", "subnet-2", "subnet-3"]
          security_groups = ["sg-1"]
        }
        encryption_info {
          encryption_at_rest_kms_key_arn = aws_kms_key.kafka.arn
        }
      }

      resource "aws_msk_cluster" "by_key_arn" {
        cluster_name           = "by-key-arn"
        kafka_version          = "3.6.0"
        number_of_broker_nodes = 3
        broker_node_group_info {
          instance_type   = "kafka.m5.large"
          client_subnets  = ["subnet-1", "subnet-2", "subnet-3"]
          security_groups = ["sg-1"]
        }
        encryption_info {
          encryption_at_rest_kms_key_arn = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
        }
      }

      resource "aws_msk_cluster" "by_customer_alias" {
        cluster_name           = "by-customer-alias"
        kafka_version          = "3.6.0"
        number_of_broker_nodes = 3
        broker_node_group_info {
          instance_type   = "kafka.m5.large"
          client_subnets  = ["subnet-1", "subnet-2", "subnet-3"]
          security_groups = ["sg-1"]
        }
        encryption_info {
          encryption_at_rest_kms_key_arn = "arn:aws:kms:eu-west-1:111122223333:alias/kafka"
        }
      }
    EOT
  }

  example "good" {
    config = <<-EOT
      variable "kms_key_arn" {
        type = string
      }

      # The key is not known before apply: no finding.
      resource "aws_msk_cluster" "unknown" {
        cluster_name           = "unknown"
        kafka_version          = "3.6.0"
        number_of_broker_nodes = 3
        broker_node_group_info {
          instance_type   = "kafka.m5.large"
          client_subnets  = ["subnet-1", "subnet-2", "subnet-3"]
          security_groups = ["sg-1"]
        }
        encryption_info {
          encryption_at_rest_kms_key_arn = var.kms_key_arn
        }
      }
    EOT
  }
}
