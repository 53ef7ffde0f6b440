resource "aws_kms_key" "ecr" {
  description             = "Customer managed key for ECR images"
  deletion_window_in_days = 30
  enable_key_rotation     = true
}

locals {
  analytics_encryption = trimspace(<<-EOT
    %{if var.cmk_enabled}KMS%{else}AES256%{endif}
  EOT
  )

  warehouse_encryption = trimspace(<<-EOT
    %{if var.legacy_mode}AES256%{else}KMS%{endif}
  EOT
  )

  lake_encryption = <<-EOT
    %{if var.cmk_enabled}KMS%{else}AES256%{endif}
  EOT
}

resource "aws_ecr_repository" "analytics" {
  name = "analytics"

  encryption_configuration {
    encryption_type = local.analytics_encryption
    kms_key         = aws_kms_key.ecr.arn
  }
}

resource "aws_ecr_repository" "warehouse" {
  name = "warehouse"

  encryption_configuration {
    encryption_type = local.warehouse_encryption
    kms_key         = aws_kms_key.ecr.arn
  }
}

resource "aws_ecr_repository" "lake" {
  name = "lake"

  encryption_configuration {
    encryption_type = local.lake_encryption
    kms_key         = aws_kms_key.ecr.arn
  }
}
