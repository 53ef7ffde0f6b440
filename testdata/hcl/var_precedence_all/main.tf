resource "aws_kms_key" "ecr" {
  description             = "Customer managed key for ECR images"
  deletion_window_in_days = 30
  enable_key_rotation     = true
}

resource "aws_ecr_repository" "only_default" {
  name = "only-default"

  encryption_configuration {
    encryption_type = var.only_default
    kms_key         = aws_kms_key.ecr.arn
  }
}

resource "aws_ecr_repository" "env_over_default" {
  name = "env-over-default"

  encryption_configuration {
    encryption_type = var.env_over_default
    kms_key         = aws_kms_key.ecr.arn
  }
}

resource "aws_ecr_repository" "tfvars_over_env" {
  name = "tfvars-over-env"

  encryption_configuration {
    encryption_type = var.tfvars_over_env
    kms_key         = aws_kms_key.ecr.arn
  }
}

resource "aws_ecr_repository" "json_over_tfvars" {
  name = "json-over-tfvars"

  encryption_configuration {
    encryption_type = var.json_over_tfvars
    kms_key         = aws_kms_key.ecr.arn
  }
}

resource "aws_ecr_repository" "auto_over_json" {
  name = "auto-over-json"

  encryption_configuration {
    encryption_type = var.auto_over_json
    kms_key         = aws_kms_key.ecr.arn
  }
}

resource "aws_ecr_repository" "auto_lexical" {
  name = "auto-lexical"

  encryption_configuration {
    encryption_type = var.auto_lexical
    kms_key         = aws_kms_key.ecr.arn
  }
}

resource "aws_ecr_repository" "varfile_over_auto" {
  name = "varfile-over-auto"

  encryption_configuration {
    encryption_type = var.varfile_over_auto
    kms_key         = aws_kms_key.ecr.arn
  }
}

resource "aws_ecr_repository" "var_over_varfile" {
  name = "var-over-varfile"

  encryption_configuration {
    encryption_type = var.var_over_varfile
    kms_key         = aws_kms_key.ecr.arn
  }
}
