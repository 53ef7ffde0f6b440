"""Rewrite a Terraform 1.11 plan (format 1.2) into the shape older Terraform wrote."""
import json
import sys

src, dst, target = sys.argv[1], sys.argv[2], sys.argv[3]
plan = json.load(open(src))

if target == "0.1":
    fv, tv, pname, constraint = "0.1", "0.12.31", "aws", "~> 2.70"
    drop = {
        "aws_ecr_repository": ["force_delete", "tags_all"],
        "aws_kms_key": ["bypass_policy_lockout_safety_check", "custom_key_store_id", "multi_region",
                        "rotation_period_in_days", "xks_key_id", "tags_all"],
    }
    sensitive = False
else:
    fv, tv, pname, constraint = "1.0", "1.1.9", "registry.terraform.io/hashicorp/aws", "~> 4.0"
    drop = {
        "aws_ecr_repository": ["force_delete"],
        "aws_kms_key": ["rotation_period_in_days", "xks_key_id"],
    }
    sensitive = True


def strip(obj, rtype):
    if isinstance(obj, dict):
        for k in drop.get(rtype, []):
            obj.pop(k, None)


def fix_resource(r):
    r["provider_name"] = pname
    strip(r.get("values"), r["type"])
    if not sensitive:
        r.pop("sensitive_values", None)
    else:
        strip(r.get("sensitive_values"), r["type"])


def walk_module(m):
    for r in m.get("resources", []):
        fix_resource(r)
    for c in m.get("child_modules", []):
        walk_module(c)


out = {}
for k, v in plan.items():
    if k in ("relevant_attributes", "timestamp", "applyable", "complete", "errored"):
        continue
    out[k] = v
out["format_version"] = fv
out["terraform_version"] = tv

walk_module(out["planned_values"]["root_module"])
if "prior_state" in out:
    out["prior_state"]["terraform_version"] = tv
    if target == "0.1":
        out["prior_state"]["format_version"] = "0.1"
    walk_module(out["prior_state"]["values"]["root_module"])
for rc in out["resource_changes"]:
    rc["provider_name"] = pname
    ch = rc["change"]
    for k in ("before", "after", "after_unknown", "before_sensitive", "after_sensitive"):
        strip(ch.get(k), rc["type"])
    if not sensitive:
        ch.pop("before_sensitive", None)
        ch.pop("after_sensitive", None)
pc = out["configuration"]["provider_config"]
for key, p in pc.items():
    p.pop("full_name", None)
    if "version_constraint" in p:
        p["version_constraint"] = constraint
if target == "1.0":
    # Terraform 1.1 keyed the provider of module resources by the module call name
    for name, call in out["configuration"]["root_module"].get("module_calls", {}).items():
        for r in call["module"].get("resources", []):
            if r["provider_config_key"] == "aws":
                r["provider_config_key"] = name + ":aws"
json.dump(out, open(dst, "w"), indent=2)
open(dst, "a").write("\n")
