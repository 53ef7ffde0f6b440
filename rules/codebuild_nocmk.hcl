rule "codebuild_nocmk" {
  title          = "CodeBuild project does not encrypt its build output with a customer-managed KMS key"
  severity       = "medium"
  resource_types = ["aws_codebuild_project"]
  aliases        = ["CKV_AWS_147"]
  tags           = ["security", "encryption", "kms", "cmk", "codebuild"]
  family         = "cmk"
  compliance = {
    "PCI DSS 4.0"    = ["3.5.1", "3.6.1"]
    "HIPAA"          = ["164.312(a)(2)(iv)", "164.312(e)(2)(ii)"]
    "SOC 2"          = ["CC6.1", "CC6.7"]
    "NIST 800-53 r5" = ["SC-12", "SC-28"]
  }
  references = [
    "https://docs.aws.amazon.com/codebuild/latest/userguide/security-encryption.html",
    "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/codebuild_project#encryption_key",
    "https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-mgmt",
  ]

  # The project's key encrypts what CodeBuild writes to S3: build artifacts, an S3 cache and
  # S3 build logs. A project that writes none of them (NO_ARTIFACTS, no S3 cache or logs)
  # is not checked.
  locals {
    writes_s3 = anytrue(concat(
      [for a in resource.artifacts : a.type != "NO_ARTIFACTS"],
      [for a in resource.secondary_artifacts : true],
      [for c in resource.cache : c.type == "S3"],
      flatten([for l in resource.logs_config : [for s in l.s3_logs : s.status == "ENABLED"]]),
    ))
    disabled = anytrue(concat(
      [for a in resource.artifacts : a.type != "NO_ARTIFACTS" && a.encryption_disabled == true],
      [for a in resource.secondary_artifacts : a.encryption_disabled == true],
    ))
  }

  # Checks run in order; the first one that is false is the finding. A check whose
  # condition cannot be known before apply finds nothing by itself (docs/writing-rules.md).
  check {
    condition = !local.disabled
    at        = resource
    message   = "encryption_disabled is true on the artifacts: CodeBuild uploads the build output to S3 without encrypting it with KMS"
  }
  check {
    condition = !local.writes_s3 || kms_key_owner(resource.encryption_key) != "none"
    at        = resource.encryption_key
    message   = "encryption_key is not set: CodeBuild encrypts the build artifacts, cache and logs it writes to S3 under the AWS-managed key aws/s3, whose policy nobody can edit"
    fix {
      applicability = "unsafe"
      note          = "The key changes in place, but the project's service role (and anything that reads the artifacts: CodePipeline, deploy roles) needs kms:GenerateDataKey* and kms:Decrypt on the new key; until it has them, builds fail to upload their output."
      set {
        encryption_key = key.arn
      }
    }
  }
  check {
    condition = !local.writes_s3 || kms_key_owner(resource.encryption_key) == "customer"
    at        = resource.encryption_key
    message   = "encryption_key ${describe(resource.encryption_key)} is the AWS-managed key aws/s3, whose policy nobody can edit"
    fix {
      applicability = "unsafe"
      note          = "The key changes in place, but the project's service role (and anything that reads the artifacts: CodePipeline, deploy roles) needs kms:GenerateDataKey* and kms:Decrypt on the new key; until it has them, builds fail to upload their output."
      set {
        encryption_key = key.arn
      }
    }
  }

  description = <<-EOT
    A CodeBuild project writes its build output artifacts, its S3 cache and its S3 build
    logs to S3. They often hold compiled binaries, container contexts, test reports, and
    secrets that a build leaked into a file or a log. CodeBuild encrypts them with the key in
    `encryption_key`; without one, with the AWS-managed key `aws/s3`, whose policy lets every
    principal in the account use it through S3 and nobody can change. With
    `encryption_disabled = true` on an artifacts block, the artifacts are not encrypted with
    KMS at all.

    Only a customer-managed key lets you decide, through its key policy, who can decrypt the
    artifacts (and so who can deploy them), see every use of the key in CloudTrail, and
    share the artifacts with another account (which `aws/s3` cannot do).

    The key changes in place; builds from then on use it. A project that writes nothing to S3
    (`NO_ARTIFACTS`, no S3 cache, no S3 logs) is not checked.

    tfcheck follows `encryption_key` through variables, locals, module arguments and outputs
    and data sources. It passes a key created by `aws_kms_key`, `aws_kms_alias` or
    `aws_kms_replica_key`, a key id, a key or customer alias ARN, a customer alias name, and a
    data source that looks up a customer alias. It reports nothing when the key cannot be
    known before apply.
  EOT

  remediation = <<-EOT
    Create a key (or use an existing one), let the project's service role use it, and name it
    in `encryption_key`:

    ```hcl
    resource "aws_kms_key" "build" {
      description         = "CodeBuild artifacts"
      enable_key_rotation = true
    }

    resource "aws_iam_role_policy" "build_kms" {
      role = aws_iam_role.build.id
      policy = jsonencode({
        Version = "2012-10-17"
        Statement = [{
          Effect   = "Allow"
          Action   = ["kms:GenerateDataKey*", "kms:Decrypt"]
          Resource = aws_kms_key.build.arn
        }]
      })
    }

    resource "aws_codebuild_project" "app" {
      name           = "app"
      service_role   = aws_iam_role.build.arn
      encryption_key = aws_kms_key.build.arn

      artifacts {
        type     = "S3"
        location = aws_s3_bucket.artifacts.id
      }

      environment {
        compute_type = "BUILD_GENERAL1_SMALL"
        image        = "aws/codebuild/standard:7.0"
        type         = "LINUX_CONTAINER"
      }

      source {
        type     = "GITHUB"
        location = "https://github.com/example/app.git"
      }
    }
    ```

    The key changes in place. Grant the service role and every consumer of the artifacts
    (CodePipeline's role, deployment roles in other accounts) `kms:Decrypt` first; artifacts
    built earlier stay under their old key.
  EOT

  example "bad" {
    expect = ["aws_codebuild_project.plain"]
    config = <<-EOT
      resource "aws_codebuild_project" "plain" {
        name         = "plain"
        service_role = "arn:aws:iam::111122223333:role/codebuild"
        artifacts {
          type     = "S3"
          location = "build-artifacts"
        }
        environment {
          compute_type = "BUILD_GENERAL1_SMALL"
          image        = "aws/codebuild/standard:7.0"
          type         = "LINUX_CONTAINER"
        }
        source {
          type     = "GITHUB"
          location = "https://github.com/example/app.git"
        }
      }
    EOT
  }

  example "bad" {
    expect = ["aws_codebuild_project.disabled"]
    config = <<-EOT
      resource "aws_kms_key" "build" {
        enable_key_rotation = true
      }

      resource "aws_codebuild_project" "disabled" {
        name           = "disabled"
        service_role   = "arn:aws:iam::111122223333:role/codebuild"
        encryption_key = aws_kms_key.build.arn
        artifacts {
          type                = "S3"
          location            = "build-artifacts"
          encryption_disabled = true
        }
        environment {
          compute_type = "BUILD_GENERAL1_SMALL"
          image        = "aws/codebuild/standard:7.0"
          type         = "LINUX_CONTAINER"
        }
        source {
          type     = "GITHUB"
          location = "https://github.com/example/app.git"
        }
      }
    EOT
  }

  example "bad" {
    expect = ["aws_codebuild_project.by_alias", "aws_codebuild_project.by_arn", "aws_codebuild_project.by_data"]
    config = <<-EOT
      data "aws_kms_alias" "s3" {
        name = "alias/aws/s3"
      }

      resource "aws_codebuild_project" "by_alias" {
        name           = "by-alias"
        service_role   = "arn:aws:iam::111122223333:role/codebuild"
        encryption_key = "alias/aws/s3"
        artifacts {
          type = "CODEPIPELINE"
        }
        environment {
          compute_type = "BUILD_GENERAL1_SMALL"
          image        = "aws/codebuild/standard:7.0"
          type         = "LINUX_CONTAINER"
        }
        source {
          type = "CODEPIPELINE"
        }
      }

      resource "aws_codebuild_project" "by_arn" {
        name           = "by-arn"
        service_role   = "arn:aws:iam::111122223333:role/codebuild"
        encryption_key = "arn:aws:kms:eu-west-1:111122223333:alias/aws/s3"
        artifacts {
          type = "NO_ARTIFACTS"
        }
        cache {
          type     = "S3"
          location = "build-cache"
        }
        environment {
          compute_type = "BUILD_GENERAL1_SMALL"
          image        = "aws/codebuild/standard:7.0"
          type         = "LINUX_CONTAINER"
        }
        source {
          type     = "GITHUB"
          location = "https://github.com/example/app.git"
        }
      }

      resource "aws_codebuild_project" "by_data" {
        name           = "by-data"
        service_role   = "arn:aws:iam::111122223333:role/codebuild"
        encryption_key = data.aws_kms_alias.s3.target_key_arn
        artifacts {
          type     = "S3"
          location = "build-artifacts"
        }
        environment {
          compute_type = "BUILD_GENERAL1_SMALL"
          image        = "aws/codebuild/standard:7.0"
          type         = "LINUX_CONTAINER"
        }
        source {
          type     = "GITHUB"
          location = "https://github.com/example/app.git"
        }
      }
    EOT
  }

  example "good" {
    config = <<-EOT
      resource "aws_kms_key" "build" {
        enable_key_rotation = true
      }

      resource "aws_codebuild_project" "app" {
        name           = "app"
        service_role   = "arn:aws:iam::111122223333:role/codebuild"
        encryption_key = aws_kms_key.build.arn
        artifacts {
          type     = "S3"
          location = "build-artifacts"
        }
        environment {
          compute_type = "BUILD_GENERAL1_SMALL"
          image        = "aws/codebuild/standard:7.0"
          type         = "LINUX_CONTAINER"
        }
        source {
          type     = "GITHUB"
          location = "https://github.com/example/app.git"
        }
      }

      resource "aws_codebuild_project" "by_key_arn" {
        name           = "by-key-arn"
        service_role   = "arn:aws:iam::111122223333:role/codebuild"
        encryption_key = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
        artifacts {
          type = "CODEPIPELINE"
        }
        environment {
          compute_type = "BUILD_GENERAL1_SMALL"
          image        = "aws/codebuild/standard:7.0"
          type         = "LINUX_CONTAINER"
        }
        source {
          type = "CODEPIPELINE"
        }
      }

      resource "aws_codebuild_project" "by_customer_alias" {
        name           = "by-customer-alias"
        service_role   = "arn:aws:iam::111122223333:role/codebuild"
        encryption_key = "alias/codebuild"
        artifacts {
          type = "CODEPIPELINE"
        }
        environment {
          compute_type = "BUILD_GENERAL1_SMALL"
          image        = "aws/codebuild/standard:7.0"
          type         = "LINUX_CONTAINER"
        }
        source {
          type = "CODEPIPELINE"
        }
      }

      # Writes nothing to S3: not checked.
      resource "aws_codebuild_project" "tests_only" {
        name         = "tests-only"
        service_role = "arn:aws:iam::111122223333:role/codebuild"
        artifacts {
          type = "NO_ARTIFACTS"
        }
        environment {
          compute_type = "BUILD_GENERAL1_SMALL"
          image        = "aws/codebuild/standard:7.0"
          type         = "LINUX_CONTAINER"
        }
        source {
          type     = "GITHUB"
          location = "https://github.com/example/app.git"
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
      resource "aws_codebuild_project" "unknown" {
        name           = "unknown"
        service_role   = "arn:aws:iam::111122223333:role/codebuild"
        encryption_key = var.kms_key_arn
        artifacts {
          type     = "S3"
          location = "build-artifacts"
        }
        environment {
          compute_type = "BUILD_GENERAL1_SMALL"
          image        = "aws/codebuild/standard:7.0"
          type         = "LINUX_CONTAINER"
        }
        source {
          type     = "GITHUB"
          location = "https://github.com/example/app.git"
        }
      }
    EOT
  }
}
