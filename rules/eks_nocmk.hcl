rule "eks_nocmk" {
  title          = "EKS cluster does not encrypt Kubernetes secrets with a customer-managed KMS key"
  severity       = "medium"
  resource_types = ["aws_eks_cluster"]
  aliases        = ["CKV_AWS_58", "AVD-AWS-0039", "aws-eks-encrypt-secrets", "AWS066"]
  tags           = ["security", "encryption", "kms", "cmk", "eks"]
  family         = "cmk"
  compliance = {
    "PCI DSS 4.0"    = ["3.5.1", "3.6.1"]
    "HIPAA"          = ["164.312(a)(2)(iv)", "164.312(e)(2)(ii)"]
    "SOC 2"          = ["CC6.1", "CC6.7"]
    "NIST 800-53 r5" = ["SC-12", "SC-28"]
  }
  references = [
    "https://docs.aws.amazon.com/eks/latest/userguide/envelope-encryption.html",
    "https://docs.aws.amazon.com/eks/latest/APIReference/API_Provider.html",
    "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/eks_cluster#encryption_config",
    "https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-mgmt",
  ]

  # Checks run in order; the first one that is false is the finding. A check whose
  # condition cannot be known before apply finds nothing by itself (docs/writing-rules.md).
  check {
    condition = length(resource.encryption_config) > 0
    at        = resource
    message   = "no encryption_config block: Kubernetes secrets are encrypted in etcd only by EKS's default envelope encryption, under a key AWS owns"
  }
  check {
    condition = try(contains(resource.encryption_config[0].resources, "secrets"), false)
    at        = resource.encryption_config[0].resources
    message   = "encryption_config.resources is ${describe(resource.encryption_config[0].resources)}, without \"secrets\": the secrets are encrypted only by EKS's default envelope encryption, under a key AWS owns"
  }
  check {
    condition = kms_key_owner(try(resource.encryption_config[0].provider[0].key_arn, null)) != "none"
    at        = resource.encryption_config[0].provider[0].key_arn
    message   = "encryption_config names no key (key_arn is ${describe(try(resource.encryption_config[0].provider[0].key_arn, null))}): EKS cannot envelope-encrypt the secrets with a key of yours"
  }
  check {
    condition = kms_key_owner(try(resource.encryption_config[0].provider[0].key_arn, null)) == "customer"
    at        = resource.encryption_config[0].provider[0].key_arn
    message   = "key_arn ${describe(try(resource.encryption_config[0].provider[0].key_arn, null))} is an AWS-managed key: EKS needs a customer-managed key, since no AWS-managed key's policy lets it create the grant it uses to encrypt the secrets"
  }

  description = <<-EOT
    Kubernetes secrets (service account tokens, database passwords, TLS keys, everything
    stored as a `Secret`) live in the cluster's etcd. Without an `encryption_config` block
    naming `secrets`, they are protected only by EKS's default envelope encryption, under a
    key AWS owns: anyone who can read etcd through the Kubernetes API reads them, and there is
    no key of yours whose policy, rotation or CloudTrail record stands in the way.

    With `encryption_config`, the Kubernetes API server envelope-encrypts every secret with a
    data key protected by the KMS key in `provider.key_arn`. That key must be a symmetric
    customer-managed key in the cluster's region: EKS creates a grant on it, which no
    AWS-managed key's policy allows. EKS accepts a key ARN or an alias ARN, but stores the key
    ARN it resolves to; name the key ARN so that plans stay clean. Disabling or deleting the
    key makes the cluster unrecoverable, so protect it (no `deletion_window_in_days` shortcuts,
    a key policy that keeps an administrator).

    Secrets encryption can be added to an existing cluster in place (EKS then re-encrypts the
    existing secrets), but it can never be removed: taking the block out replaces the cluster.
    The key cannot be changed on a cluster that already encrypts its secrets.

    tfcheck follows `key_arn` through variables, locals, module arguments and outputs and
    data sources. It passes a key created by `aws_kms_key`, `aws_kms_alias` or
    `aws_kms_replica_key`, a key or customer alias ARN, and a data source that looks up a
    customer alias. It reports nothing when the key cannot be known before apply.
  EOT

  remediation = <<-EOT
    Create a key (or use an existing one) and name it in an `encryption_config` block for
    `secrets`:

    ```hcl
    resource "aws_kms_key" "eks" {
      description         = "EKS secrets"
      enable_key_rotation = true
    }

    resource "aws_eks_cluster" "main" {
      name     = "main"
      role_arn = aws_iam_role.cluster.arn

      vpc_config {
        subnet_ids = var.subnet_ids
      }

      encryption_config {
        resources = ["secrets"]
        provider {
          key_arn = aws_kms_key.eks.arn
        }
      }
    }
    ```

    Adding the block to an existing cluster associates the key in place and re-encrypts the
    existing secrets; it cannot be undone. To move a cluster that already uses another key,
    create a new cluster with the right key and migrate the workloads to it.
  EOT

  example "bad" {
    expect = ["aws_eks_cluster.plain"]
    config = <<-EOT
      resource "aws_eks_cluster" "plain" {
        name     = "plain"
        role_arn = "arn:aws:iam::111122223333:role/eks-cluster"
        vpc_config {
          subnet_ids = ["subnet-0a1b2c3d", "subnet-4e5f6a7b"]
        }
      }
    EOT
  }

  example "bad" {
    expect = ["aws_eks_cluster.no_key", "aws_eks_cluster.no_secrets"]
    config = <<-EOT
      resource "aws_kms_key" "eks" {
        enable_key_rotation = true
      }

      resource "aws_eks_cluster" "no_secrets" {
        name     = "no-secrets"
        role_arn = "arn:aws:iam::111122223333:role/eks-cluster"
        vpc_config {
          subnet_ids = ["subnet-0a1b2c3d", "subnet-4e5f6a7b"]
        }
        encryption_config {
          resources = []
          provider {
            key_arn = aws_kms_key.eks.arn
          }
        }
      }

      resource "aws_eks_cluster" "no_key" {
        name     = "no-key"
        role_arn = "arn:aws:iam::111122223333:role/eks-cluster"
        vpc_config {
          subnet_ids = ["subnet-0a1b2c3d", "subnet-4e5f6a7b"]
        }
        encryption_config {
          resources = ["secrets"]
          provider {
            key_arn = ""
          }
        }
      }
    EOT
  }

  example "bad" {
    expect = ["aws_eks_cluster.by_alias", "aws_eks_cluster.by_arn", "aws_eks_cluster.by_data"]
    config = <<-EOT
      data "aws_kms_alias" "eks" {
        name = "alias/aws/eks"
      }

      resource "aws_eks_cluster" "by_alias" {
        name     = "by-alias"
        role_arn = "arn:aws:iam::111122223333:role/eks-cluster"
        vpc_config {
          subnet_ids = ["subnet-0a1b2c3d", "subnet-4e5f6a7b"]
        }
        encryption_config {
          resources = ["secrets"]
          provider {
            key_arn = "alias/aws/eks"
          }
        }
      }

      resource "aws_eks_cluster" "by_arn" {
        name     = "by-arn"
        role_arn = "arn:aws:iam::111122223333:role/eks-cluster"
        vpc_config {
          subnet_ids = ["subnet-0a1b2c3d", "subnet-4e5f6a7b"]
        }
        encryption_config {
          resources = ["secrets"]
          provider {
            key_arn = "arn:aws:kms:eu-west-1:111122223333:alias/aws/eks"
          }
        }
      }

      resource "aws_eks_cluster" "by_data" {
        name     = "by-data"
        role_arn = "arn:aws:iam::111122223333:role/eks-cluster"
        vpc_config {
          subnet_ids = ["subnet-0a1b2c3d", "subnet-4e5f6a7b"]
        }
        encryption_config {
          resources = ["secrets"]
          provider {
            key_arn = data.aws_kms_alias.eks.target_key_arn
          }
        }
      }
    EOT
  }

  example "good" {
    config = <<-EOT
      resource "aws_kms_key" "eks" {
        enable_key_rotation = true
      }

      resource "aws_eks_cluster" "app" {
        name     = "app"
        role_arn = "arn:aws:iam::111122223333:role/eks-cluster"
        vpc_config {
          subnet_ids = ["subnet-0a1b2c3d", "subnet-4e5f6a7b"]
        }
        encryption_config {
          resources = ["secrets"]
          provider {
            key_arn = aws_kms_key.eks.arn
          }
        }
      }

      resource "aws_eks_cluster" "by_key_arn" {
        name     = "by-key-arn"
        role_arn = "arn:aws:iam::111122223333:role/eks-cluster"
        vpc_config {
          subnet_ids = ["subnet-0a1b2c3d", "subnet-4e5f6a7b"]
        }
        encryption_config {
          resources = ["secrets"]
          provider {
            key_arn = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
          }
        }
      }

      resource "aws_eks_cluster" "by_customer_alias" {
        name     = "by-customer-alias"
        role_arn = "arn:aws:iam::111122223333:role/eks-cluster"
        vpc_config {
          subnet_ids = ["subnet-0a1b2c3d", "subnet-4e5f6a7b"]
        }
        encryption_config {
          resources = ["secrets"]
          provider {
            key_arn = "arn:aws:kms:eu-west-1:111122223333:alias/eks-secrets"
          }
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
      resource "aws_eks_cluster" "unknown" {
        name     = "unknown"
        role_arn = "arn:aws:iam::111122223333:role/eks-cluster"
        vpc_config {
          subnet_ids = ["subnet-0a1b2c3d", "subnet-4e5f6a7b"]
        }
        encryption_config {
          resources = ["secrets"]
          provider {
            key_arn = var.kms_key_arn
          }
        }
      }
    EOT
  }
}
