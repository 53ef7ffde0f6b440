rule "ecr_public_policy" {
  title          = "ECR policy lets anyone access the registry"
  severity       = "high"
  resource_types = ["aws_ecr_repository_policy", "aws_ecr_registry_policy"]
  aliases        = ["CKV_AWS_32", "AVD-AWS-0032", "aws-ecr-no-public-access"]
  tags           = ["security", "iam", "ecr"]
  family         = "ecr"
  references = [
    "https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-policies.html",
    "https://docs.aws.amazon.com/AmazonECR/latest/userguide/registry-permissions.html",
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html",
  ]
  compliance = {
    "PCI DSS 4.0"    = ["7.2.1", "1.4.1"]
    "HIPAA"          = ["164.312(a)(1)"]
    "SOC 2"          = ["CC6.1", "CC6.6"]
    "NIST 800-53 r5" = ["AC-3", "AC-21"]
  }

  locals {
    # Condition keys that limit a "*" principal to known accounts, organizations or networks.
    restricting = [
      "aws:principalorgid", "aws:principalorgpaths", "aws:principalaccount", "aws:principalarn",
      "aws:sourceaccount", "aws:sourcearn", "aws:sourceowner", "aws:sourcevpc", "aws:sourcevpce",
      "aws:sourceip",
    ]
    open = [
      for s in policy_statements(resource.policy) : s
      if s.effect == "Allow" && s.public && length(setintersection(s.condition_keys, local.restricting)) == 0
    ]
  }

  check {
    condition = length(local.open) == 0
    at        = resource.policy
    message   = "the policy allows any AWS principal (Principal \"*\") with no condition limiting it to your accounts, organization or network (statement ${join(", ", [for s in local.open : coalesce(s.sid, "without a Sid")])})"
  }

  description = <<-EOT
    A repository or registry policy statement that allows `"Principal": "*"` (or
    `{"AWS": "*"}`) applies to every AWS account. Unless a condition narrows it
    (`aws:PrincipalOrgID`, `aws:SourceAccount`, `aws:SourceArn`, `aws:SourceVpce`...), anyone
    with an AWS account can pull the images (reading the code and secrets baked into them)
    or, with push actions, replace them.

    The rule reads the policy wherever it is written: a heredoc, `jsonencode(...)`, or an
    `aws_iam_policy_document` data source. Deny statements and statements whose principal
    or condition is only known after apply are not reported.
  EOT

  remediation = <<-EOT
    Name the accounts that may pull, or keep `"*"` and limit it to your organization:

    ```hcl
    data "aws_iam_policy_document" "pull" {
      statement {
        sid     = "PullWithinOrganization"
        actions = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
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

    resource "aws_ecr_repository_policy" "app" {
      repository = aws_ecr_repository.app.name
      policy     = data.aws_iam_policy_document.pull.json
    }
    ```

    For images that really are public, use ECR Public (`aws_ecrpublic_repository`).
  EOT

  example "bad" {
    expect = ["aws_ecr_repository_policy.heredoc", "aws_ecr_repository_policy.document", "aws_ecr_registry_policy.registry"]
    plan   = "examples/ecr_public_policy/bad-1.plan.json"
    config = <<-EOT
      resource "aws_ecr_repository" "app" {
        name = "app"
      }

      resource "aws_ecr_repository_policy" "heredoc" {
        repository = aws_ecr_repository.app.name
        policy     = <<-JSON
          {
            "Version": "2012-10-17",
            "Statement": [{
              "Sid": "Public",
              "Effect": "Allow",
              "Principal": "*",
              "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
            }]
          }
        JSON
      }

      data "aws_iam_policy_document" "open" {
        statement {
          sid     = "AnyAccount"
          actions = ["ecr:*"]
          principals {
            type        = "AWS"
            identifiers = ["*"]
          }
        }
      }

      resource "aws_ecr_repository_policy" "document" {
        repository = aws_ecr_repository.app.name
        policy     = data.aws_iam_policy_document.open.json
      }

      resource "aws_ecr_registry_policy" "registry" {
        policy = jsonencode({
          Version   = "2012-10-17"
          Statement = [{ Effect = "Allow", Principal = { AWS = "*" }, Action = ["ecr:ReplicateImage"], Resource = "*" }]
        })
      }
    EOT
  }

  example "good" {
    plan   = "examples/ecr_public_policy/good-2.plan.json"
    config = <<-EOT
      variable "organization_id" {
        type    = string
        default = "o-abc123"
      }

      resource "aws_ecr_repository" "app" {
        name = "app"
      }

      data "aws_iam_policy_document" "org" {
        statement {
          actions = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
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

      resource "aws_ecr_repository_policy" "org" {
        repository = aws_ecr_repository.app.name
        policy     = data.aws_iam_policy_document.org.json
      }

      resource "aws_ecr_registry_policy" "account" {
        policy = jsonencode({
          Statement = [{
            Effect    = "Allow"
            Principal = { AWS = "arn:aws:iam::111122223333:root" }
            Action    = ["ecr:ReplicateImage"]
            Resource  = "*"
          }]
        })
      }
    EOT
  }
}
