resource "aws_ecr_repository" "ingest" {
  name = "ingest"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = format("arn:aws:kms:%s:%s:key/%s", var.region, var.account_id, "5c2a1e0b-1f2e-4c3d-9a8b-7e6f5d4c3b2a")
  }
}

resource "aws_ecr_repository" "egress" {
  name = "egress"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = format("arn:%s:kms:%s:%s:alias/%s", "aws", var.region, var.account_id, "aws/ecr")
  }
}

resource "aws_ecr_repository" "relay" {
  name = "relay"

  encryption_configuration {
    encryption_type = format("%s_%s", "KMS", "DSSE")
    kms_key         = format("arn:aws:kms:%s:%s:alias/relay-images", var.region, var.account_id)
  }
}
