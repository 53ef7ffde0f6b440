data "terraform_remote_state" "kms" {
  backend = "s3"

  config = {
    bucket = "acme-terraform-state"
    key    = "platform/kms/terraform.tfstate"
    region = "us-east-1"
  }
}

resource "aws_ecr_repository" "images" {
  name = "images"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = data.terraform_remote_state.kms.outputs.ecr_key_arn
  }
}

resource "aws_ecr_repository" "charts" {
  name = "charts"

  encryption_configuration {
    encryption_type = data.terraform_remote_state.kms.outputs.ecr_encryption_type
    kms_key         = data.terraform_remote_state.kms.outputs.ecr_key_arn
  }
}

resource "aws_ecr_repository" "scratch" {
  name = "scratch"

  encryption_configuration {
    encryption_type = "AES256"
  }
}
