rule "ecr_no_scan_on_push" {
  title          = "ECR repository does not scan images on push"
  severity       = "medium"
  resource_types = ["aws_ecr_repository"]
  aliases        = ["CKV_AWS_163", "AVD-AWS-0030", "aws-ecr-enable-image-scans", "AWS023"]
  tags           = ["security", "vulnerabilities", "ecr"]
  family         = "ecr"
  references = [
    "https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-scanning.html",
    "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/ecr_registry_scanning_configuration",
  ]
  compliance = {
    "PCI DSS 4.0"    = ["6.3.1", "11.3.1"]
    "HIPAA"          = ["164.308(a)(1)(ii)(A)"]
    "SOC 2"          = ["CC7.1"]
    "NIST 800-53 r5" = ["RA-5"]
  }

  locals {
    scan_on_push = try(resource.image_scanning_configuration[0].scan_on_push, null)
    # A registry scanning configuration in the same configuration that scans this
    # repository on push: enhanced scanning, or a basic SCAN_ON_PUSH rule, whose repository
    # filter matches the repository's name.
    covered = anytrue(flatten([
      for c in resources("aws_ecr_registry_scanning_configuration") : [
        for r in c.rule : anytrue([for f in r.repository_filter : wildcard_match(f.filter, resource.name)])
        if (c.scan_type == "ENHANCED" && contains(["SCAN_ON_PUSH", "CONTINUOUS_SCAN"], r.scan_frequency))
        || (c.scan_type == "BASIC" && r.scan_frequency == "SCAN_ON_PUSH")
      ]
    ]))
  }

  check {
    condition = local.scan_on_push != null || local.covered
    at        = resource
    message   = "no image_scanning_configuration (scan_on_push defaults to false), and no registry scanning configuration covers this repository: pushed images are never scanned"
    fix {
      applicability = "safe"
      note          = "Scan on push changes in place; basic scanning has no charge."
      set {
        image_scanning_configuration {
          scan_on_push = true
        }
      }
    }
  }
  check {
    condition = local.scan_on_push == true || local.covered
    at        = resource.image_scanning_configuration[0].scan_on_push
    message   = "scan_on_push is ${describe(local.scan_on_push)}, and no registry scanning configuration covers this repository: pushed images are never scanned"
    fix {
      applicability = "safe"
      note          = "Scan on push changes in place; basic scanning has no charge."
      set {
        image_scanning_configuration {
          scan_on_push = true
        }
      }
    }
  }

  description = <<-EOT
    Scanning on push finds known vulnerabilities (CVEs) in an image's operating system
    packages, or with enhanced scanning in its language packages too, as soon as it reaches
    the registry, before it is deployed. Without it, vulnerable images are only found if
    someone thinks to scan them.

    A repository passes when `image_scanning_configuration { scan_on_push = true }` is set,
    or when an `aws_ecr_registry_scanning_configuration` in the same configuration covers it:
    enhanced scanning, or basic scanning with a `SCAN_ON_PUSH` rule, whose repository filter
    (wildcards included) matches the repository's name. A registry configuration managed in
    another Terraform configuration is not visible to tfcheck; suppress the finding there.
  EOT

  remediation = <<-EOT
    Set `scan_on_push = true` in `image_scanning_configuration`:

    ```hcl
    resource "aws_ecr_repository" "app" {
      name = "app"

      image_scanning_configuration {
        scan_on_push = true
      }
    }
    ```

    Or scan every repository of the registry, once:

    ```hcl
    resource "aws_ecr_registry_scanning_configuration" "this" {
      scan_type = "ENHANCED"

      rule {
        scan_frequency = "CONTINUOUS_SCAN"
        repository_filter {
          filter      = "*"
          filter_type = "WILDCARD"
        }
      }
    }
    ```
  EOT

  example "bad" {
    expect = ["aws_ecr_repository.none", "aws_ecr_repository.off", "aws_ecr_repository.unmatched"]
    plan   = "examples/ecr_no_scan_on_push/bad-1.plan.json"
    config = <<-EOT
      resource "aws_ecr_repository" "none" {
        name = "none"
      }

      resource "aws_ecr_repository" "off" {
        name = "off"
        image_scanning_configuration {
          scan_on_push = false
        }
      }

      resource "aws_ecr_repository" "unmatched" {
        name = "tools/builder"
      }

      resource "aws_ecr_registry_scanning_configuration" "basic" {
        scan_type = "BASIC"
        rule {
          scan_frequency = "SCAN_ON_PUSH"
          repository_filter {
            filter      = "apps/*"
            filter_type = "WILDCARD"
          }
        }
      }
    EOT
  }

  example "good" {
    plan   = "examples/ecr_no_scan_on_push/good-2.plan.json"
    config = <<-EOT
      resource "aws_ecr_repository" "scanned" {
        name = "scanned"
        image_scanning_configuration {
          scan_on_push = true
        }
      }

      resource "aws_ecr_repository" "by_registry" {
        name = "apps/api"
      }

      resource "aws_ecr_registry_scanning_configuration" "basic" {
        scan_type = "BASIC"
        rule {
          scan_frequency = "SCAN_ON_PUSH"
          repository_filter {
            filter      = "apps/*"
            filter_type = "WILDCARD"
          }
        }
      }
    EOT
  }

  example "good" {
    plan   = "examples/ecr_no_scan_on_push/good-3.plan.json"
    config = <<-EOT
      resource "aws_ecr_repository" "any" {
        name = "any"
      }

      resource "aws_ecr_registry_scanning_configuration" "enhanced" {
        scan_type = "ENHANCED"
        rule {
          scan_frequency = "CONTINUOUS_SCAN"
          repository_filter {
            filter      = "*"
            filter_type = "WILDCARD"
          }
        }
      }
    EOT
  }
}
