variable "encryption" {
  type = object({ type = string, key = string })
  default = {
    type = "AES256"
    key  = ""
  }
}

variable "kms_key_arn" {
  type    = string
  default = ""
}

# Decided by an expression over a variable: tfcheck says so and edits nothing.
resource "aws_ecr_repository" "computed" {
  name                 = "computed"
  image_tag_mutability = "IMMUTABLE"

  encryption_configuration {
    encryption_type = var.kms_key_arn != "" ? "KMS" : "AES256"
    kms_key         = var.kms_key_arn
  }

  image_scanning_configuration {
    scan_on_push = true
  }
}

# A dynamic block whose for_each decides: the fix is at the variable's default.
resource "aws_ecr_repository" "dynamic" {
  name                 = "dynamic"
  image_tag_mutability = "IMMUTABLE"

  dynamic "encryption_configuration" {
    for_each = var.encryption.type == "KMS" ? [var.encryption] : []
    content {
      encryption_type = encryption_configuration.value.type
      kms_key         = encryption_configuration.value.key
    }
  }

  image_scanning_configuration {
    scan_on_push = true
  }
}

# Mutable tags: an unsafe fix, not applied without --unsafe-fixes.
resource "aws_ecr_repository" "mutable" {
  name                 = "mutable"
  image_tag_mutability = "IMMUTABLE"

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  }

  image_scanning_configuration {
    scan_on_push = true
  }
}
