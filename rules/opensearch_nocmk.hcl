rule "opensearch_nocmk" {
  title          = "OpenSearch domain is not encrypted at rest with a customer-managed KMS key"
  severity       = "medium"
  resource_types = ["aws_opensearch_domain", "aws_elasticsearch_domain"]
  aliases        = ["CKV_AWS_247", "CKV_AWS_5", "AVD-AWS-0048", "aws-elasticsearch-enable-domain-encryption"]
  tags           = ["security", "encryption", "kms", "cmk", "opensearch"]
  family         = "cmk"
  compliance = {
    "PCI DSS 4.0"    = ["3.5.1", "3.6.1"]
    "HIPAA"          = ["164.312(a)(2)(iv)", "164.312(e)(2)(ii)"]
    "SOC 2"          = ["CC6.1", "CC6.7"]
    "NIST 800-53 r5" = ["SC-12", "SC-28"]
  }
  references = [
    "https://docs.aws.amazon.com/opensearch-service/latest/developerguide/encryption-at-rest.html",
    "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/opensearch_domain#encrypt_at_rest",
    "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/elasticsearch_domain#encrypt_at_rest",
    "https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-mgmt",
  ]

  # Checks run in order; the first one that is false is the finding. A check whose
  # condition cannot be known before apply finds nothing by itself (docs/writing-rules.md).
  check {
    condition = length(resource.encrypt_at_rest) > 0
    at        = resource
    message   = "no encrypt_at_rest block: the domain's indexes, logs, swap files and automated snapshots are not encrypted at rest"
    fix {
      applicability = "unsafe"
      replaces      = true
      note          = "kms_key_id cannot change in place: for a domain that already exists, Terraform replaces it, deleting every index in it. Apply it to domains the plan creates; migrate the others (snapshot to S3, restore into the new domain)."
      set {
        encrypt_at_rest {
          enabled    = true
          kms_key_id = key.arn
        }
      }
    }
  }
  check {
    condition = resource.encrypt_at_rest[0].enabled == true
    at        = resource.encrypt_at_rest[0].enabled
    message   = "encrypt_at_rest.enabled is ${describe(resource.encrypt_at_rest[0].enabled)}: the domain's indexes, logs, swap files and automated snapshots are not encrypted at rest"
    fix {
      applicability = "unsafe"
      replaces      = true
      note          = "kms_key_id cannot change in place: for a domain that already exists, Terraform replaces it, deleting every index in it. Apply it to domains the plan creates; migrate the others (snapshot to S3, restore into the new domain)."
      set {
        encrypt_at_rest {
          enabled    = true
          kms_key_id = key.arn
        }
      }
    }
  }
  check {
    condition = kms_key_owner(resource.encrypt_at_rest[0].kms_key_id) != "none"
    at        = resource.encrypt_at_rest[0].kms_key_id
    message   = "encrypt_at_rest is enabled but kms_key_id is not set: the domain is encrypted under the AWS-managed key aws/es, whose policy nobody can edit"
    fix {
      applicability = "unsafe"
      replaces      = true
      note          = "The key cannot change in place: for a domain that already exists, Terraform replaces it, deleting every index in it. Apply it to domains the plan creates; migrate the others (snapshot to S3, restore into the new domain)."
      set {
        encrypt_at_rest {
          kms_key_id = key.arn
        }
      }
    }
  }
  check {
    condition = kms_key_owner(resource.encrypt_at_rest[0].kms_key_id) == "customer"
    at        = resource.encrypt_at_rest[0].kms_key_id
    message   = "kms_key_id ${describe(resource.encrypt_at_rest[0].kms_key_id)} is the AWS-managed key aws/es, whose policy nobody can edit"
    fix {
      applicability = "unsafe"
      replaces      = true
      note          = "The key cannot change in place: for a domain that already exists, Terraform replaces it, deleting every index in it. Apply it to domains the plan creates; migrate the others (snapshot to S3, restore into the new domain)."
      set {
        encrypt_at_rest {
          kms_key_id = key.arn
        }
      }
    }
  }

  description = <<-EOT
    An OpenSearch (or legacy Elasticsearch) domain stores the documents it indexes, often
    application logs, customer records and search data, on its nodes' volumes, together with
    its logs, swap files and the automated snapshots it keeps. Without an `encrypt_at_rest`
    block with `enabled = true`, none of that is encrypted at rest. Enabled without
    `kms_key_id`, it is encrypted under the AWS-managed key `aws/es`, whose policy lets
    every principal in the account use it through OpenSearch and nobody can change.

    Only a customer-managed key lets you decide, through its key policy, who can read the
    volumes and snapshots, see every use of the key in CloudTrail, and cut off access by
    disabling the key (which makes the domain unusable).

    Encryption can be turned on for an existing domain once, but the key can never change:
    the AWS provider replaces the domain when `kms_key_id` changes, deleting its indexes.

    tfcheck follows `kms_key_id` through variables, locals, module arguments and outputs and
    data sources. It passes a key created by `aws_kms_key`, `aws_kms_alias` or
    `aws_kms_replica_key`, a key id, a key or customer alias ARN, and a data source that
    looks up a customer alias. It reports nothing when the key cannot be known before apply.
  EOT

  remediation = <<-EOT
    Create a key (or use an existing one) and name its ARN in an `encrypt_at_rest` block:

    ```hcl
    resource "aws_kms_key" "search" {
      description         = "OpenSearch data at rest"
      enable_key_rotation = true
    }

    resource "aws_opensearch_domain" "search" {
      domain_name    = "search"
      engine_version = "OpenSearch_2.13"

      encrypt_at_rest {
        enabled    = true
        kms_key_id = aws_kms_key.search.arn
      }
    }
    ```

    Name the key ARN: OpenSearch accepts a key id but reports the ARN, which Terraform would
    show as a change. An existing domain whose key must change is replaced: register an S3
    snapshot repository, take a manual snapshot, create the new domain with the key, restore
    the snapshot into it, move clients to the new endpoint, then delete the old domain.
  EOT

  example "bad" {
    expect = ["aws_elasticsearch_domain.off", "aws_opensearch_domain.plain"]
    config = <<-EOT
      resource "aws_opensearch_domain" "plain" {
        domain_name = "plain"
      }

      resource "aws_elasticsearch_domain" "off" {
        domain_name           = "off"
        elasticsearch_version = "7.10"
        encrypt_at_rest {
          enabled = false
        }
      }
    EOT
  }

  example "bad" {
    expect = ["aws_elasticsearch_domain.by_alias", "aws_opensearch_domain.by_arn", "aws_opensearch_domain.by_data", "aws_opensearch_domain.default_key"]
    config = <<-EOT
      data "aws_kms_alias" "es" {
        name = "alias/aws/es"
      }

      resource "aws_opensearch_domain" "default_key" {
        domain_name = "default-key"
        encrypt_at_rest {
          enabled = true
        }
      }

      resource "aws_elasticsearch_domain" "by_alias" {
        domain_name = "by-alias"
        encrypt_at_rest {
          enabled    = true
          kms_key_id = "alias/aws/es"
        }
      }

      resource "aws_opensearch_domain" "by_arn" {
        domain_name = "by-arn"
        encrypt_at_rest {
          enabled    = true
          kms_key_id = "arn:aws:kms:eu-west-1:111122223333:alias/aws/es"
        }
      }

      resource "aws_opensearch_domain" "by_data" {
        domain_name = "by-data"
        encrypt_at_rest {
          enabled    = true
          kms_key_id = data.aws_kms_alias.es.target_key_arn
        }
      }
    EOT
  }

  example "good" {
    config = <<-EOT
      resource "aws_kms_key" "search" {
        enable_key_rotation = true
      }

      resource "aws_opensearch_domain" "search" {
        domain_name = "search"
        encrypt_at_rest {
          enabled    = true
          kms_key_id = aws_kms_key.search.arn
        }
      }

      resource "aws_elasticsearch_domain" "by_key_arn" {
        domain_name = "by-key-arn"
        encrypt_at_rest {
          enabled    = true
          kms_key_id = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
        }
      }

      resource "aws_opensearch_domain" "by_customer_alias" {
        domain_name = "by-customer-alias"
        encrypt_at_rest {
          enabled    = true
          kms_key_id = "arn:aws:kms:eu-west-1:111122223333:alias/search"
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
      resource "aws_opensearch_domain" "unknown" {
        domain_name = "unknown"
        encrypt_at_rest {
          enabled    = true
          kms_key_id = var.kms_key_arn
        }
      }
    EOT
  }
}
