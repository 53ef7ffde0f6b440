resource "aws_kms_key" "ecr" {
  description             = "Customer managed key for ECR images"
  deletion_window_in_days = 30
  enable_key_rotation     = true
}

locals {
  registry_config = jsondecode(<<-EOT
    {
      "repositories": {
        "web": {"encryption": "KMS", "use_cmk": true},
        "batch": {"encryption": "AES256", "use_cmk": false},
        "ml": {"encryption": "KMS_DSSE", "use_cmk": false}
      }
    }
  EOT
  )
}

resource "aws_ecr_repository" "configured" {
  for_each = local.registry_config.repositories

  name = each.key

  encryption_configuration {
    encryption_type = each.value.encryption
    kms_key         = each.value.use_cmk ? aws_kms_key.ecr.arn : null
  }
}
