# Reports every instance of the resource types the comparison's six rules read, so that
# instances no rule reports are counted too (docs/comparison.md, "Matching").
rule "zz_inventory" {
  title          = "Inventory of evaluated instances"
  severity       = "low"
  resource_types = ["aws_ecr_repository", "aws_ecr_repository_creation_template", "aws_ecr_repository_policy", "aws_ecr_registry_policy", "aws_kms_key", "aws_kms_key_policy"]

  check {
    condition = false
    at        = resource
    message   = "evaluated"
  }

  description = "Lists every instance of the compared resource types."
  remediation = "None: an inventory, not a finding."
}
