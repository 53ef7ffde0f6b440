# terraform_data's input, and its output (which Terraform plans from the input), are known
# at plan time: an AWS-managed key passed through one is still an AWS-managed key.

resource "terraform_data" "key" {
  input = "alias/aws/ecr"
}

resource "aws_ecr_repository" "from_input" {
  name = "from-input"
  encryption_configuration {
    encryption_type = "KMS"
    kms_key = terraform_data.key.input
  }
}

resource "aws_ecr_repository" "from_output" {
  name = "from-output"
  encryption_configuration {
    encryption_type = "KMS"
    kms_key = terraform_data.key.output
  }
}

# One instance per key: only the second is AWS-managed.
resource "aws_kms_key" "own" {}

resource "terraform_data" "keys" {
  count = 2
  input = count.index == 0 ? aws_kms_key.own.arn : "alias/aws/ecr"
}

resource "aws_ecr_repository" "counted" {
  count = 2
  name  = "counted-${count.index}"
  encryption_configuration {
    encryption_type = "KMS"
    kms_key = terraform_data.keys[count.index].output
  }
}

# The id is known only after apply: no finding.
resource "aws_ecr_repository" "from_id" {
  name = "from-id"
  encryption_configuration {
    encryption_type = "KMS"
    kms_key = terraform_data.key.id
  }
}
