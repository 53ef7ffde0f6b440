resource "aws_kms_key" "a" {
  enable_key_rotation = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "Root"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::111122223333:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "Open"
        Effect    = "Allow"
        Principal = "*"
        Action    = ["kms:Decrypt"]
        Resource  = "*"
      },
    ]
  })
}

resource "aws_kms_key" "b" {
  enable_key_rotation = true
  policy              = <<-EOT
    {
      "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
        {
          "Effect": "Allow",
          "Principal": {"AWS": "*"},
          "Action": "kms:Decrypt",
          "Resource": "*"
        }
      ]
    }
  EOT
}

resource "aws_kms_key" "c" {
  enable_key_rotation = true
  policy              = "{\"Statement\": {\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"kms:*\"}}"
}
