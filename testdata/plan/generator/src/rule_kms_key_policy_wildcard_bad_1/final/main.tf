resource "aws_kms_key" "open" {
  description = "open"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "Everyone"
      Effect    = "Allow"
      Principal = "*"
      Action    = "kms:*"
      Resource  = "*"
    }]
  })
}

resource "aws_kms_key" "other" {
  description = "other"
}

data "aws_iam_policy_document" "open" {
  statement {
    actions   = ["kms:Decrypt"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
  }
}

resource "aws_kms_key_policy" "doc" {
  key_id = aws_kms_key.other.id
  policy = data.aws_iam_policy_document.open.json
}
