data "aws_caller_identity" "current" {}

resource "aws_kms_key" "account" {
  description = "account only"
  policy      = <<-JSON
    {
      "Version": "2012-10-17",
      "Statement": [{
        "Sid": "Account",
        "Effect": "Allow",
        "Principal": {"AWS": "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"},
        "Action": "kms:*",
        "Resource": "*"
      }]
    }
  JSON
}

resource "aws_kms_key" "org" {
  description = "organization"
  policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "*" }
      Action    = ["kms:Decrypt"]
      Resource  = "*"
      Condition = { StringEquals = { "aws:PrincipalOrgID" = "o-abc123" } }
    }]
  })
}

resource "aws_kms_key" "encrypt_only" {
  description = "anyone may encrypt, nobody else may decrypt"
  policy = jsonencode({
    Statement = [{ Effect = "Allow", Principal = "*", Action = "kms:Encrypt", Resource = "*" }]
  })
}
