# Ignores written for other tools keep working, matched through the rule's aliases.

#tfsec:ignore:AWS078 tfsec:ignore:aws-ecr-repository-customer-key
resource "aws_ecr_repository" "tfsec_long_id" {
  name = "tfsec-long-id"
}

# tfsec:ignore:AWS093
resource "aws_ecr_repository" "tfsec_legacy_id" {
  name = "tfsec-legacy-id"
}

#trivy:ignore:AVD-AWS-0033
resource "aws_ecr_repository" "trivy" {
  name = "trivy"
}

resource "aws_ecr_repository" "checkov" {
  name = "checkov"
  #checkov:skip=CKV_AWS_136:The images are rebuilt from public sources
}

resource "aws_ecr_repository" "tfsec_on_line" {
  name = "tfsec-on-line"

  encryption_configuration {
    encryption_type = "AES256" # tfsec:ignore:aws-ecr-repository-customer-key
  }
}

# Expiry dates: an ignore that has expired no longer suppresses.

#trivy:ignore:AVD-AWS-0033:exp:2001-01-01
resource "aws_ecr_repository" "trivy_expired" {
  name = "trivy-expired"
}

#tfsec:ignore:aws-ecr-repository-customer-key:exp:2999-12-31
resource "aws_ecr_repository" "tfsec_not_expired" {
  name = "tfsec-not-expired"
}

resource "aws_ecr_repository" "checkov_expired" {
  #checkov:skip=CKV_AWS_136:exp:2001-01-01:migrated long ago
  name = "checkov-expired"
}

# tfcheck:ignore:ecr_nocmk:exp:2999-12-31 vendor images, re-checked yearly
resource "aws_ecr_repository" "tfcheck_not_expired" {
  name = "tfcheck-not-expired"
}

# A checkov skip for another check, and a tfsec ignore for another check.
#tfsec:ignore:AWS078
resource "aws_ecr_repository" "other_ids" {
  #checkov:skip=CKV_AWS_51:tags move
  name = "other-ids"
}
