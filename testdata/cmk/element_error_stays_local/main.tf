locals {
  # What an absent application_variables.json leaves: a null to read attributes of.
  missing = null

  # One attribute fails; the others stay known.
  settings = {
    create_log_group = false
    url              = local.missing.accounts["x"].url
  }
}

# The function has environment variables whatever URL turns out to be.
resource "aws_lambda_function" "f" {
  function_name = "f"
  role          = "arn:aws:iam::111122223333:role/r"
  environment {
    variables = {
      DEBUG = "1"
      URL   = local.missing.accounts["x"].url
    }
  }
}

# count is decided by the known attribute: no log group.
resource "aws_cloudwatch_log_group" "g" {
  count = local.settings.create_log_group ? 1 : 0
  name  = "g"
}

# try() still sees the failing element and falls back to false: no encryption.
resource "aws_sqs_queue" "q" {
  name                    = "q"
  sqs_managed_sse_enabled = try({ on = local.missing.x }.on, false)
}
