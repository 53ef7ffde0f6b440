data "aws_kms_key" "aws_ecr" {
  key_id = "alias/aws/ecr"
}

data "aws_kms_key" "images" {
  key_id = "alias/ecr-images"
}

resource "aws_ecr_repository" "ml_models" {
  name = "ml/models"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = data.aws_kms_key.aws_ecr.arn
  }
}

resource "aws_ecr_repository" "ml_training" {
  name = "ml/training"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = data.aws_kms_key.aws_ecr.id
  }
}

resource "aws_ecr_repository" "ml_serving" {
  name = "ml/serving"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = data.aws_kms_key.images.arn
  }
}
