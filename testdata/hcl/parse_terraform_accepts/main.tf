# Constructs Terraform accepts that hcl-edit 0.10 rejects (found in real repositories).

variable "repos" {
  default = {
    api = { kms = true }
    web = { kms = false }
  }
}

locals {
  # Repeated object keys: Terraform keeps the last one.
  defaults = {
    encryption_type = "KMS"
    encryption_type = "AES256"
  }

  # A conditional whose `?` and `:` start new lines inside a `for` expression.
  settings = {
    for name, repo in var.repos : name =>
    repo.kms
    ? { type = "KMS" }
    : { type = local.defaults.encryption_type }
  }

  # A function name and its `(` on different lines, inside an argument list.
  names = [
    try
    (var.repos.api.name, "api"),
  ]

  # A line that starts with the heredoc marker but holds more is not its end.
  script = <<EOF
echo "<<EOF"
EOF"
EOF
}

resource "aws_kms_key" "ecr" {}

resource "aws_ecr_repository" "repo" {
  for_each = local.settings
  name     = each.key

  encryption_configuration {
    encryption_type = each.value.type
    kms_key         = aws_kms_key.ecr.arn
  }
}

resource "aws_ecr_repository" "script" {
  name = length(local.script) == 18 && local.names[0] == "api" ? "script" : "wrong"

  encryption_configuration {
    encryption_type = local.names[0] == "api" ? "KMS" : "AES256"
    kms_key         = length(local.script) == 18 ? "alias/aws/ecr" : aws_kms_key.ecr.arn
  }
}
