rule "lambda_nocmk" {
  title          = "Lambda function's environment variables are not encrypted with a customer-managed KMS key"
  severity       = "medium"
  resource_types = ["aws_lambda_function"]
  aliases        = ["CKV_AWS_173"]
  tags           = ["security", "encryption", "kms", "cmk", "lambda"]
  family         = "cmk"
  compliance = {
    "PCI DSS 4.0"    = ["3.5.1", "3.6.1"]
    "HIPAA"          = ["164.312(a)(2)(iv)", "164.312(e)(2)(ii)"]
    "SOC 2"          = ["CC6.1", "CC6.7"]
    "NIST 800-53 r5" = ["SC-12", "SC-28"]
  }
  references = [
    "https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars-encryption.html",
    "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/lambda_function#kms_key_arn",
    "https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-mgmt",
  ]

  # Only a function with environment variables has something for the key to protect.
  locals {
    has_variables = length(resource.environment) > 0 && try(length(resource.environment[0].variables), 0) > 0
  }

  # Checks run in order; the first one that is false is the finding. A check whose
  # condition cannot be known before apply finds nothing by itself (docs/writing-rules.md).
  check {
    condition = !local.has_variables || kms_key_owner(resource.kms_key_arn) != "none"
    at        = resource.kms_key_arn
    message   = "the function has environment variables and kms_key_arn is not set: Lambda encrypts them with the AWS-managed key aws/lambda, whose policy nobody can edit"
    fix {
      applicability = "unsafe"
      note          = "The key changes in place, but Lambda then needs the key to start the function: the principal that deploys it needs kms:Encrypt and kms:CreateGrant on the key, and until it can, the function fails to start (KMSAccessDeniedException)."
      set {
        kms_key_arn = key.arn
      }
    }
  }
  check {
    condition = !local.has_variables || kms_key_owner(resource.kms_key_arn) == "customer"
    at        = resource.kms_key_arn
    message   = "kms_key_arn ${describe(resource.kms_key_arn)} is the AWS-managed key aws/lambda, whose policy nobody can edit"
    fix {
      applicability = "unsafe"
      note          = "The key changes in place, but Lambda then needs the key to start the function: the principal that deploys it needs kms:Encrypt and kms:CreateGrant on the key, and until it can, the function fails to start (KMSAccessDeniedException)."
      set {
        kms_key_arn = key.arn
      }
    }
  }

  description = <<-EOT
    A Lambda function's environment variables often carry configuration that matters:
    database endpoints and users, API tokens, feature switches, sometimes secrets. Lambda
    always encrypts them at rest: with the AWS-managed key `aws/lambda` when `kms_key_arn` is
    left out (or names the `alias/aws/lambda` ARN), or with a key you manage.

    Only a customer-managed key lets you decide who may decrypt the variables: its key policy
    is yours to write, you choose its rotation, and every use of it is in CloudTrail under your
    key. With `aws/lambda`, every principal of the account that may call
    `lambda:GetFunctionConfiguration` reads the variables in clear, and the key's policy
    cannot be edited to narrow that. A function without environment variables has nothing
    for the key to protect and passes.

    The key changes in place (the function is not replaced). Lambda needs the key to start
    the function: a key it cannot use makes every invocation fail.

    tfcheck follows `kms_key_arn` through variables, locals, module arguments and outputs and
    data sources. It passes a key created by `aws_kms_key`, `aws_kms_alias` or
    `aws_kms_replica_key`, a key or customer alias ARN, and a data source that looks up a
    customer alias. It reports nothing when the key, or whether the function has environment
    variables, cannot be known before apply.
  EOT

  remediation = <<-EOT
    Create a key (or use an existing one) and name it in `kms_key_arn`:

    ```hcl
    resource "aws_kms_key" "lambda" {
      description         = "Lambda environment variables"
      enable_key_rotation = true
    }

    resource "aws_lambda_function" "api" {
      function_name = "api"
      role          = aws_iam_role.api.arn
      runtime       = "python3.13"
      handler       = "app.handler"
      filename      = "api.zip"
      kms_key_arn   = aws_kms_key.lambda.arn

      environment {
        variables = {
          DB_HOST = "db.internal"
        }
      }
    }
    ```

    The key changes in place. Give the principal that deploys the function `kms:Encrypt` and
    `kms:CreateGrant` on the key, and the function's execution role `kms:Decrypt`, before you
    change it.
  EOT

  example "bad" {
    expect = ["aws_lambda_function.plain"]
    config = <<-EOT
      resource "aws_lambda_function" "plain" {
        function_name = "plain"
        role          = "arn:aws:iam::111122223333:role/lambda"
        runtime       = "python3.13"
        handler       = "app.handler"
        filename      = "app.zip"

        environment {
          variables = {
            DB_HOST = "db.internal"
          }
        }
      }
    EOT
  }

  example "bad" {
    expect = ["aws_lambda_function.by_arn", "aws_lambda_function.by_data"]
    config = <<-EOT
      data "aws_kms_alias" "lambda" {
        name = "alias/aws/lambda"
      }

      resource "aws_lambda_function" "by_arn" {
        function_name = "by-arn"
        role          = "arn:aws:iam::111122223333:role/lambda"
        runtime       = "python3.13"
        handler       = "app.handler"
        filename      = "app.zip"
        kms_key_arn   = "arn:aws:kms:eu-west-1:111122223333:alias/aws/lambda"

        environment {
          variables = {
            DB_HOST = "db.internal"
          }
        }
      }

      resource "aws_lambda_function" "by_data" {
        function_name = "by-data"
        role          = "arn:aws:iam::111122223333:role/lambda"
        runtime       = "python3.13"
        handler       = "app.handler"
        filename      = "app.zip"
        kms_key_arn   = data.aws_kms_alias.lambda.target_key_arn

        environment {
          variables = {
            DB_HOST = "db.internal"
          }
        }
      }
    EOT
  }

  example "good" {
    config = <<-EOT
      resource "aws_kms_key" "lambda" {
        enable_key_rotation = true
      }

      resource "aws_lambda_function" "by_key" {
        function_name = "by-key"
        role          = "arn:aws:iam::111122223333:role/lambda"
        runtime       = "python3.13"
        handler       = "app.handler"
        filename      = "app.zip"
        kms_key_arn   = aws_kms_key.lambda.arn

        environment {
          variables = {
            DB_HOST = "db.internal"
          }
        }
      }

      resource "aws_lambda_function" "by_key_arn" {
        function_name = "by-key-arn"
        role          = "arn:aws:iam::111122223333:role/lambda"
        runtime       = "python3.13"
        handler       = "app.handler"
        filename      = "app.zip"
        kms_key_arn   = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"

        environment {
          variables = {
            DB_HOST = "db.internal"
          }
        }
      }

      resource "aws_lambda_function" "by_customer_alias" {
        function_name = "by-customer-alias"
        role          = "arn:aws:iam::111122223333:role/lambda"
        runtime       = "python3.13"
        handler       = "app.handler"
        filename      = "app.zip"
        kms_key_arn   = "arn:aws:kms:eu-west-1:111122223333:alias/team-lambda"

        environment {
          variables = {
            DB_HOST = "db.internal"
          }
        }
      }

      # No environment variables: nothing for the key to protect.
      resource "aws_lambda_function" "no_environment" {
        function_name = "no-environment"
        role          = "arn:aws:iam::111122223333:role/lambda"
        runtime       = "python3.13"
        handler       = "app.handler"
        filename      = "app.zip"
      }

      resource "aws_lambda_function" "empty_environment" {
        function_name = "empty-environment"
        role          = "arn:aws:iam::111122223333:role/lambda"
        runtime       = "python3.13"
        handler       = "app.handler"
        filename      = "app.zip"

        environment {
          variables = {}
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
      resource "aws_lambda_function" "unknown" {
        function_name = "unknown"
        role          = "arn:aws:iam::111122223333:role/lambda"
        runtime       = "python3.13"
        handler       = "app.handler"
        filename      = "app.zip"
        kms_key_arn   = var.kms_key_arn

        environment {
          variables = {
            DB_HOST = "db.internal"
          }
        }
      }
    EOT
  }
}
