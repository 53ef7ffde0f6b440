"""A stand-in for hashicorp/aws 5.x, enough to let real Terraform produce plans.

It mimics what terraform-plugin-sdk/v2 does for the few resource types used by the
fixtures: Optional+Computed attributes unknown at create, schema defaults,
SuppressMissingOptionalConfigurationBlock, ForceNew -> requires_replace, tags_all, and
the JSON-normalizing StateFunc of policy attributes (the plan shows the policy as
structure.NormalizeJsonString makes it). Apply fills unknown values with what AWS would
return; data sources return what AWS (or, for aws_iam_policy_document, the provider
itself) computes.
"""
import copy
import decimal
import hashlib
import json
import os
import sys
import uuid
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import tf.provider  # noqa: E402
from tf.gen import tfplugin_pb2 as pb  # noqa: E402
from tf.gen import tfplugin_pb2_grpc as rpc  # noqa: E402
from tf.types import Unknown  # noqa: E402
from tf.utils import read_dynamic_value, to_dynamic_value  # noqa: E402

ACCOUNT = "111122223333"
LOG = os.environ.get("FAKEAWS_LOG")


def log(*a):
    if LOG:
        with open(LOG, "a") as f:
            print(*a, file=f)


def A(type, **kw):
    d = dict(type=type)
    d.update(kw)
    return d


STR = "string"
BOOL = "bool"
NUM = "number"
MAPS = ["map", "string"]
SETS = ["set", "string"]
LISTS = ["list", "string"]

TAGS = {"tags": A(MAPS, optional=True), "tags_all": A(MAPS, optional=True, computed=True)}

RESOURCES = {
    "aws_ecr_repository": {
        "attrs": {
            "arn": A(STR, computed=True),
            "force_delete": A(BOOL, optional=True),
            "id": A(STR, optional=True, computed=True),
            "image_tag_mutability": A(STR, optional=True, default="MUTABLE"),
            "name": A(STR, required=True, force_new=True),
            "registry_id": A(STR, computed=True),
            "repository_url": A(STR, computed=True),
            **TAGS,
        },
        "blocks": {
            "encryption_configuration": dict(
                nesting="list",
                force_new=True,
                suppress_missing=True,
                attrs={
                    "encryption_type": A(STR, optional=True, default="AES256", force_new=True),
                    "kms_key": A(STR, optional=True, computed=True, force_new=True),
                },
            ),
            "image_scanning_configuration": dict(
                nesting="list",
                max_items=1,
                suppress_missing=True,
                attrs={"scan_on_push": A(BOOL, required=True)},
            ),
            "timeouts": dict(nesting="single", attrs={"delete": A(STR, optional=True)}),
        },
    },
    "aws_ecr_repository_creation_template": {
        "attrs": {
            "applied_for": A(SETS, required=True),
            "custom_role_arn": A(STR, optional=True),
            "description": A(STR, optional=True),
            "id": A(STR, optional=True, computed=True),
            "image_tag_mutability": A(STR, optional=True, default="MUTABLE"),
            "lifecycle_policy": A(STR, optional=True),
            "prefix": A(STR, required=True, force_new=True),
            "registry_id": A(STR, computed=True),
            "repository_policy": A(STR, optional=True),
            "resource_tags": A(MAPS, optional=True),
        },
        "blocks": {
            "encryption_configuration": dict(
                nesting="list",
                suppress_missing=True,
                attrs={
                    "encryption_type": A(STR, optional=True, default="AES256"),
                    "kms_key": A(STR, optional=True, computed=True),
                },
            ),
        },
    },
    "aws_ecr_repository_policy": {
        "attrs": {
            "id": A(STR, optional=True, computed=True),
            "policy": A(STR, required=True, state_func="json", diff_suppress="policy"),
            "registry_id": A(STR, computed=True),
            "repository": A(STR, required=True, force_new=True),
        },
        "blocks": {},
    },
    "aws_ecr_registry_policy": {
        "attrs": {
            "id": A(STR, optional=True, computed=True),
            "policy": A(STR, required=True, state_func="json", diff_suppress="policy"),
            "registry_id": A(STR, computed=True),
        },
        "blocks": {},
    },
    "aws_ecr_registry_scanning_configuration": {
        "attrs": {
            "id": A(STR, optional=True, computed=True),
            "registry_id": A(STR, computed=True),
            "scan_type": A(STR, required=True),
        },
        "blocks": {
            "rule": dict(
                nesting="set",
                max_items=100,
                attrs={"scan_frequency": A(STR, required=True)},
                blocks={
                    "repository_filter": dict(
                        nesting="set",
                        min_items=1,
                        attrs={"filter": A(STR, required=True), "filter_type": A(STR, required=True)},
                    ),
                },
            ),
        },
    },
    "aws_kms_key": {
        "attrs": {
            "arn": A(STR, computed=True),
            "bypass_policy_lockout_safety_check": A(BOOL, optional=True, default=False),
            "custom_key_store_id": A(STR, optional=True, force_new=True),
            "customer_master_key_spec": A(STR, optional=True, default="SYMMETRIC_DEFAULT", force_new=True),
            "deletion_window_in_days": A(NUM, optional=True),
            "description": A(STR, optional=True, computed=True),
            "enable_key_rotation": A(BOOL, optional=True, default=False),
            "id": A(STR, optional=True, computed=True),
            "is_enabled": A(BOOL, optional=True, default=True),
            "key_id": A(STR, computed=True),
            "key_usage": A(STR, optional=True, default="ENCRYPT_DECRYPT", force_new=True),
            "multi_region": A(BOOL, optional=True, computed=True, force_new=True),
            "policy": A(STR, optional=True, computed=True, state_func="json", diff_suppress="policy"),
            "rotation_period_in_days": A(NUM, optional=True, computed=True),
            **TAGS,
            "xks_key_id": A(STR, optional=True, force_new=True),
        },
        # Timeouts{Create} (since 5.23): helper/schema adds a single `timeouts` block.
        "blocks": {"timeouts": dict(nesting="single", attrs={"create": A(STR, optional=True)})},
    },
    "aws_kms_key_policy": {
        "attrs": {
            "bypass_policy_lockout_safety_check": A(BOOL, optional=True, default=False),
            "id": A(STR, optional=True, computed=True),
            "key_id": A(STR, required=True),
            "policy": A(STR, required=True, state_func="json", diff_suppress="policy"),
        },
        "blocks": {},
    },
    "aws_kms_alias": {
        "attrs": {
            "arn": A(STR, computed=True),
            "id": A(STR, optional=True, computed=True),
            "name": A(STR, optional=True, computed=True, force_new=True),
            "name_prefix": A(STR, optional=True, computed=True, force_new=True),
            "target_key_arn": A(STR, computed=True),
            "target_key_id": A(STR, required=True),
        },
        "blocks": {},
    },
    "aws_kms_replica_key": {
        "attrs": {
            "arn": A(STR, computed=True),
            "bypass_policy_lockout_safety_check": A(BOOL, optional=True, default=False),
            "deletion_window_in_days": A(NUM, optional=True, default=30),
            "description": A(STR, optional=True),
            "enabled": A(BOOL, optional=True, default=True),
            "id": A(STR, optional=True, computed=True),
            "key_id": A(STR, computed=True),
            "key_rotation_enabled": A(BOOL, computed=True),
            "key_spec": A(STR, computed=True),
            "key_usage": A(STR, computed=True),
            "policy": A(STR, optional=True, computed=True),
            "primary_key_arn": A(STR, required=True, force_new=True),
            **TAGS,
        },
        "blocks": {},
    },
    # internal/service/s3/bucket.go (5.x). The deprecated inline blocks are Optional+Computed:
    # unknown at create when not configured, kept from state when left out. A block that is
    # Required inside one gets min_items 1 (helper/schema's coreConfigSchema); Optional with
    # MinItems gets 0.
    "aws_s3_bucket": {
        "attrs": {
            "acceleration_status": A(STR, optional=True, computed=True, deprecated=True),
            "acl": A(STR, optional=True, computed=True, deprecated=True),
            "arn": A(STR, computed=True),
            "bucket": A(STR, optional=True, computed=True, force_new=True),
            "bucket_domain_name": A(STR, computed=True),
            "bucket_prefix": A(STR, optional=True, computed=True, force_new=True),
            "bucket_regional_domain_name": A(STR, computed=True),
            "force_destroy": A(BOOL, optional=True, default=False),
            "hosted_zone_id": A(STR, computed=True),
            "id": A(STR, optional=True, computed=True),
            "object_lock_enabled": A(BOOL, optional=True, computed=True, force_new=True),
            "policy": A(STR, optional=True, computed=True, deprecated=True, state_func="json", diff_suppress="policy"),
            "region": A(STR, computed=True),
            "request_payer": A(STR, optional=True, computed=True, deprecated=True),
            **TAGS,
            "website_domain": A(STR, computed=True, deprecated=True),
            "website_endpoint": A(STR, computed=True, deprecated=True),
        },
        "blocks": {
            "cors_rule": dict(
                nesting="list",
                computed=True,
                deprecated=True,
                attrs={
                    "allowed_headers": A(LISTS, optional=True),
                    "allowed_methods": A(LISTS, required=True),
                    "allowed_origins": A(LISTS, required=True),
                    "expose_headers": A(LISTS, optional=True),
                    "max_age_seconds": A(NUM, optional=True),
                },
            ),
            "grant": dict(
                nesting="set",
                computed=True,
                deprecated=True,
                attrs={
                    "id": A(STR, optional=True),
                    "permissions": A(SETS, required=True),
                    "type": A(STR, required=True),
                    "uri": A(STR, optional=True),
                },
            ),
            "lifecycle_rule": dict(
                nesting="list",
                computed=True,
                deprecated=True,
                attrs={
                    "abort_incomplete_multipart_upload_days": A(NUM, optional=True),
                    "enabled": A(BOOL, required=True),
                    "id": A(STR, optional=True, computed=True),
                    "prefix": A(STR, optional=True),
                    "tags": A(MAPS, optional=True),
                },
                blocks={
                    "expiration": dict(
                        nesting="list",
                        max_items=1,
                        attrs={
                            "date": A(STR, optional=True),
                            "days": A(NUM, optional=True),
                            "expired_object_delete_marker": A(BOOL, optional=True),
                        },
                    ),
                    "noncurrent_version_expiration": dict(
                        nesting="list", max_items=1, attrs={"days": A(NUM, optional=True)}
                    ),
                    "noncurrent_version_transition": dict(
                        nesting="set",
                        attrs={"days": A(NUM, optional=True), "storage_class": A(STR, required=True)},
                    ),
                    "transition": dict(
                        nesting="set",
                        attrs={
                            "date": A(STR, optional=True),
                            "days": A(NUM, optional=True),
                            "storage_class": A(STR, required=True),
                        },
                    ),
                },
            ),
            "logging": dict(
                nesting="list",
                max_items=1,
                computed=True,
                deprecated=True,
                attrs={"target_bucket": A(STR, required=True), "target_prefix": A(STR, optional=True)},
            ),
            "object_lock_configuration": dict(
                nesting="list",
                max_items=1,
                computed=True,
                deprecated=True,
                attrs={"object_lock_enabled": A(STR, optional=True, force_new=True, deprecated=True)},
                blocks={
                    "rule": dict(
                        nesting="list",
                        max_items=1,
                        deprecated=True,
                        blocks={
                            "default_retention": dict(
                                nesting="list",
                                min_items=1,
                                max_items=1,
                                attrs={
                                    "days": A(NUM, optional=True),
                                    "mode": A(STR, required=True),
                                    "years": A(NUM, optional=True),
                                },
                            ),
                        },
                        attrs={},
                    ),
                },
            ),
            "replication_configuration": dict(
                nesting="list",
                max_items=1,
                computed=True,
                deprecated=True,
                attrs={"role": A(STR, required=True)},
                blocks={
                    "rules": dict(
                        nesting="set",
                        min_items=1,
                        attrs={
                            "delete_marker_replication_status": A(STR, optional=True),
                            "id": A(STR, optional=True),
                            "prefix": A(STR, optional=True),
                            "priority": A(NUM, optional=True),
                            "status": A(STR, required=True),
                        },
                        blocks={
                            "destination": dict(
                                nesting="list",
                                min_items=1,
                                max_items=1,
                                attrs={
                                    "account_id": A(STR, optional=True),
                                    "bucket": A(STR, required=True),
                                    "replica_kms_key_id": A(STR, optional=True),
                                    "storage_class": A(STR, optional=True),
                                },
                                blocks={
                                    "access_control_translation": dict(
                                        nesting="list", max_items=1, attrs={"owner": A(STR, required=True)}
                                    ),
                                    "metrics": dict(
                                        nesting="list",
                                        max_items=1,
                                        attrs={
                                            "minutes": A(NUM, optional=True, default=15),
                                            "status": A(STR, optional=True, default="Enabled"),
                                        },
                                    ),
                                    "replication_time": dict(
                                        nesting="list",
                                        max_items=1,
                                        attrs={
                                            "minutes": A(NUM, optional=True, default=15),
                                            "status": A(STR, optional=True, default="Enabled"),
                                        },
                                    ),
                                },
                            ),
                            "filter": dict(
                                nesting="list",
                                max_items=1,
                                attrs={"prefix": A(STR, optional=True), "tags": A(MAPS, optional=True)},
                            ),
                            "source_selection_criteria": dict(
                                nesting="list",
                                max_items=1,
                                attrs={},
                                blocks={
                                    "sse_kms_encrypted_objects": dict(
                                        nesting="list", max_items=1, attrs={"enabled": A(BOOL, required=True)}
                                    ),
                                },
                            ),
                        },
                    ),
                },
            ),
            "server_side_encryption_configuration": dict(
                nesting="list",
                max_items=1,
                computed=True,
                deprecated=True,
                attrs={},
                blocks={
                    "rule": dict(
                        nesting="list",
                        min_items=1,
                        max_items=1,
                        attrs={"bucket_key_enabled": A(BOOL, optional=True)},
                        blocks={
                            "apply_server_side_encryption_by_default": dict(
                                nesting="list",
                                min_items=1,
                                max_items=1,
                                attrs={
                                    "kms_master_key_id": A(STR, optional=True),
                                    "sse_algorithm": A(STR, required=True),
                                },
                            ),
                        },
                    ),
                },
            ),
            # Timeouts{Create, Read, Update, Delete}
            "timeouts": dict(
                nesting="single",
                attrs={
                    "create": A(STR, optional=True),
                    "delete": A(STR, optional=True),
                    "read": A(STR, optional=True),
                    "update": A(STR, optional=True),
                },
            ),
            "versioning": dict(
                nesting="list",
                max_items=1,
                computed=True,
                deprecated=True,
                attrs={
                    "enabled": A(BOOL, optional=True, default=False),
                    "mfa_delete": A(BOOL, optional=True, default=False),
                },
            ),
            "website": dict(
                nesting="list",
                max_items=1,
                computed=True,
                deprecated=True,
                attrs={
                    "error_document": A(STR, optional=True),
                    "index_document": A(STR, optional=True),
                    "redirect_all_requests_to": A(STR, optional=True),
                    "routing_rules": A(STR, optional=True, state_func="json"),
                },
            ),
        },
    },
    # internal/service/s3/bucket_server_side_encryption_configuration.go (5.x)
    "aws_s3_bucket_server_side_encryption_configuration": {
        "attrs": {
            "bucket": A(STR, required=True, force_new=True),
            "expected_bucket_owner": A(STR, optional=True, force_new=True),
            "id": A(STR, optional=True, computed=True),
        },
        "blocks": {
            "rule": dict(
                nesting="set",
                min_items=1,
                attrs={"bucket_key_enabled": A(BOOL, optional=True)},
                blocks={
                    "apply_server_side_encryption_by_default": dict(
                        nesting="list",
                        max_items=1,
                        attrs={
                            "kms_master_key_id": A(STR, optional=True),
                            "sse_algorithm": A(STR, required=True),
                        },
                    ),
                },
            ),
        },
    },
}

MRC = ["list", ["object", {
    "multi_region_key_type": STR,
    "primary_key": ["list", ["object", {"arn": STR, "region": STR}]],
    "replica_keys": ["list", ["object", {"arn": STR, "region": STR}]],
}]]

# data "aws_iam_policy_document" (SDKv2): principals / not_principals blocks.
POLICY_PRINCIPALS = dict(
    nesting="set",
    attrs={"identifiers": A(SETS, required=True), "type": A(STR, required=True)},
)

DATA_SOURCES = {
    "aws_caller_identity": {
        # terraform-plugin-framework data source
        "attrs": {
            "account_id": A(STR, computed=True),
            "arn": A(STR, computed=True),
            "id": A(STR, optional=True, computed=True),
            "user_id": A(STR, computed=True),
        },
        "blocks": {},
    },
    "aws_iam_policy_document": {
        "attrs": {
            "id": A(STR, optional=True, computed=True),
            "json": A(STR, computed=True),
            "minified_json": A(STR, computed=True),
            "override_json": A(STR, optional=True, deprecated=True),
            "override_policy_documents": A(LISTS, optional=True),
            "policy_id": A(STR, optional=True),
            "source_json": A(STR, optional=True, deprecated=True),
            "source_policy_documents": A(LISTS, optional=True),
            "version": A(STR, optional=True),
        },
        "blocks": {
            "statement": dict(
                nesting="list",
                attrs={
                    "actions": A(SETS, optional=True),
                    "effect": A(STR, optional=True),
                    "not_actions": A(SETS, optional=True),
                    "not_resources": A(SETS, optional=True),
                    "resources": A(SETS, optional=True),
                    "sid": A(STR, optional=True),
                },
                blocks={
                    "condition": dict(
                        nesting="set",
                        attrs={
                            "test": A(STR, required=True),
                            "values": A(LISTS, required=True),
                            "variable": A(STR, required=True),
                        },
                    ),
                    "not_principals": POLICY_PRINCIPALS,
                    "principals": POLICY_PRINCIPALS,
                },
            ),
        },
    },
    "aws_kms_alias": {
        "attrs": {
            "arn": A(STR, computed=True),
            "id": A(STR, optional=True, computed=True),
            "name": A(STR, required=True),
            "target_key_arn": A(STR, computed=True),
            "target_key_id": A(STR, computed=True),
        },
        "blocks": {},
    },
    "aws_kms_key": {
        "attrs": {
            "arn": A(STR, computed=True),
            "aws_account_id": A(STR, computed=True),
            "cloud_hsm_cluster_id": A(STR, computed=True),
            "creation_date": A(STR, computed=True),
            "custom_key_store_id": A(STR, computed=True),
            "customer_master_key_spec": A(STR, computed=True),
            "deletion_date": A(STR, computed=True),
            "description": A(STR, computed=True),
            "enabled": A(BOOL, computed=True),
            "expiration_model": A(STR, computed=True),
            "grant_tokens": A(LISTS, optional=True),
            "id": A(STR, optional=True, computed=True),
            "key_id": A(STR, required=True),
            "key_manager": A(STR, computed=True),
            "key_spec": A(STR, computed=True),
            "key_state": A(STR, computed=True),
            "key_usage": A(STR, computed=True),
            "multi_region": A(BOOL, computed=True),
            "multi_region_configuration": A(MRC, computed=True),
            "origin": A(STR, computed=True),
            "pending_deletion_window_in_days": A(NUM, computed=True),
            "valid_to": A(STR, computed=True),
            "xks_key_configuration": A(["list", ["object", {"id": STR}]], computed=True),
        },
        "blocks": {},
    },
}

PROVIDER = {
    "attrs": {
        "region": A(STR, optional=True),
        "skip_credentials_validation": A(BOOL, optional=True),
        "skip_requesting_account_id": A(BOOL, optional=True),
    },
    "blocks": {},
}

REGION = {"r": "eu-west-1"}


# ----------------------------------------------------------------- schema
def block_pb(b):
    attrs = []
    for name in sorted(b["attrs"]):
        a = b["attrs"][name]
        attrs.append(
            pb.Schema.Attribute(
                name=name,
                type=json.dumps(a["type"]).encode(),
                required=a.get("required", False),
                optional=a.get("optional", False),
                computed=a.get("computed", False),
                sensitive=a.get("sensitive", False),
                deprecated=a.get("deprecated", False),
            )
        )
    blocks = []
    for name in sorted(b.get("blocks", {})):
        nb = b["blocks"][name]
        nesting = {
            "list": pb.Schema.NestedBlock.LIST,
            "set": pb.Schema.NestedBlock.SET,
            "single": pb.Schema.NestedBlock.SINGLE,
        }[nb["nesting"]]
        blocks.append(
            pb.Schema.NestedBlock(
                type_name=name,
                block=block_pb({"attrs": nb["attrs"], "blocks": nb.get("blocks", {}), "deprecated": nb.get("deprecated")}),
                nesting=nesting,
                min_items=nb.get("min_items", 0),
                max_items=nb.get("max_items", 0),
            )
        )
    return pb.Schema.Block(version=0, attributes=attrs, block_types=blocks, deprecated=bool(b.get("deprecated")))


def schema_pb(b):
    return pb.Schema(version=0, block=block_pb(b))


# ----------------------------------------------------------------- helpers
def uid(*parts):
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "/".join(str(p) for p in parts)))


# The key behind alias/aws/ecr in the fixtures' account.
AWS_ECR_KEY = "4a1b2c3d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"


def key_arn(key_id, region=None):
    return f"arn:aws:kms:{region or REGION['r']}:{ACCOUNT}:key/{key_id}"


# The key behind alias/aws/s3.
AWS_S3_KEY = "7c9e6f1a-2b3d-4e5f-8a9b-0c1d2e3f4a5b"
AWS_MANAGED_KEYS = {"alias/aws/ecr": AWS_ECR_KEY, "alias/aws/s3": AWS_S3_KEY}


def alias_target(name):
    if name in AWS_MANAGED_KEYS:
        return AWS_MANAGED_KEYS[name]
    return uid("alias", name)


def unique_suffix(*parts):
    """id.UniqueId(): a timestamp and a counter, 26 digits."""
    n = int(hashlib.sha256("/".join(str(p) for p in parts).encode()).hexdigest(), 16)
    return "20250301120000" + str(n % 10**12).zfill(12)


def zero_like(v):
    return v in (None, "", {}, [], False)


# ----------------------------------------------------------------- Go encoding/json
def go_float(f):
    """A float64 as encoding/json writes it: shortest representation, exponent form only
    below 1e-6 or from 1e21 on (and e-7, not e-07)."""
    if f == int(f) and abs(f) < 1e21:
        return str(int(f))
    r = repr(f)
    if abs(f) < 1e-6 or abs(f) >= 1e21:
        m, e = r.split("e")
        e = int(e)
        return f"{m}e-{-e}" if e < 0 else f"{m}e+{e:02d}"
    return format(decimal.Decimal(r), "f")


def go_json(v, indent=False):
    """encoding/json Marshal, or MarshalIndent(v, "", "  "): dict order is kept (struct
    field order; maps must be sorted by the caller), <, > and & escaped."""

    def string(x):
        out = json.dumps(x, ensure_ascii=False)
        for c, e in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
            out = out.replace(c, e)
        return out.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")

    def enc(x, depth):
        nl = "\n" + "  " * (depth + 1) if indent else ""
        end = "\n" + "  " * depth if indent else ""
        if x is None:
            return "null"
        if x is True:
            return "true"
        if x is False:
            return "false"
        if isinstance(x, (int, float)):
            return go_float(float(x))
        if isinstance(x, str):
            return string(x)
        if isinstance(x, list):
            if not x:
                return "[]"
            return "[" + ",".join(nl + enc(y, depth + 1) for y in x) + end + "]"
        if isinstance(x, dict):
            if not x:
                return "{}"
            sep = ": " if indent else ":"
            return "{" + ",".join(nl + string(k) + sep + enc(y, depth + 1) for k, y in x.items()) + end + "}"
        raise TypeError(type(x))

    return enc(v, 0)


def _sort_maps(v):
    if isinstance(v, dict):
        return {k: _sort_maps(v[k]) for k in sorted(v)}
    if isinstance(v, list):
        return [_sort_maps(x) for x in v]
    return v


def normalize_json(s):
    """structure.NormalizeJsonString: unmarshal into interface{}, marshal again (maps
    sorted, compact). Invalid JSON is returned unchanged."""
    if s is None or s == "":
        return ""
    try:
        v = json.loads(s, parse_int=float)
    except ValueError:
        return s
    return go_json(_sort_maps(v))


def policies_equivalent(a, b):
    """Enough of awspolicyequivalence for the fixtures: same JSON once normalized, with
    one-element lists and strings treated alike."""

    def canon(v):
        if isinstance(v, dict):
            return {k: canon(x) for k, x in v.items()}
        if isinstance(v, list):
            items = [canon(x) for x in v]
            if len(items) == 1:
                return items[0]
            return sorted(items, key=lambda x: json.dumps(x, sort_keys=True))
        return v

    try:
        return canon(json.loads(a)) == canon(json.loads(b))
    except ValueError:
        return a == b


def is_unknown(v):
    return v is Unknown


# ----------------------------------------------------------------- planning
def plan_block_attrs(attrs, prior, planned, config, create, replace_paths, path):
    for name, a in attrs.items():
        cfg = config.get(name) if config else None
        if cfg is None and "default" in a and not a.get("computed"):
            planned[name] = a["default"]
        elif cfg is None and a.get("computed"):
            if create:
                planned[name] = Unknown
            # else proposed already carries the prior value
        if a.get("state_func") == "json" and isinstance(cfg, str):
            # StateFunc: the diff (and so the plan) carries the normalized document; an
            # equivalent policy is no change (DiffSuppressFunc: verify.SuppressEquivalentPolicyDiffs)
            old = prior.get(name) if prior is not None and not create else None
            if isinstance(old, str) and a.get("diff_suppress") == "policy" and policies_equivalent(old, cfg):
                planned[name] = old
            else:
                planned[name] = normalize_json(cfg)
        if not create and prior is not None and not a.get("computed"):
            # SDKv2 treats null and the zero value alike
            if planned.get(name) is None and zero_like(prior.get(name)) and prior.get(name) is not None:
                planned[name] = prior.get(name)
        if (
            not create
            and prior is not None
            and a.get("force_new")
            and not is_unknown(planned.get(name))
            and planned.get(name) != prior.get(name)
        ):
            replace_paths.append(path + [name])


def plan_set_element(b, el):
    plan_block_attrs(b["attrs"], None, el, dict(el), True, [], [])
    plan_blocks(b.get("blocks", {}), None, el, dict(el), True, [], [])


def plan_blocks(blocks, prior, planned, config, create, replace_paths, path):
    """The nested blocks of a resource or of a list element, recursively."""
    for bname, b in blocks.items():
        cfg_list = config.get(bname) if config else None
        if b["nesting"] == "single":
            continue
        if b.get("computed") and not cfg_list:
            # An Optional+Computed block the configuration leaves out: its count is
            # computed at create (schemaMap.diffList), the state's is kept afterwards.
            if create:
                planned[bname] = Unknown
            elif prior is not None:
                planned[bname] = copy.deepcopy(prior.get(bname))
            continue
        if b["nesting"] == "set":
            # Set elements have no index to pair them with prior ones; at create the
            # proposed elements are the configuration's.
            if create:
                for el in planned.get(bname) or []:
                    plan_set_element(b, el)
            continue
        cfg_list = cfg_list or []
        if b.get("suppress_missing") and not cfg_list and prior is not None and prior.get(bname):
            planned[bname] = copy.deepcopy(prior[bname])
            continue
        new_list = []
        for i, el in enumerate(planned.get(bname) or []):
            el = dict(el)
            prior_el = None
            if prior is not None and prior.get(bname) and i < len(prior[bname]):
                prior_el = prior[bname][i]
            cfg_el = cfg_list[i] if i < len(cfg_list) else {}
            el_create = create or prior_el is None
            plan_block_attrs(b["attrs"], prior_el, el, cfg_el, el_create, replace_paths, path + [bname, i])
            plan_blocks(b.get("blocks", {}), prior_el, el, cfg_el, el_create, replace_paths, path + [bname, i])
            new_list.append(el)
        planned[bname] = new_list
        if b.get("force_new") and prior is not None and len(new_list) != len(prior.get(bname) or []):
            replace_paths.append(path + [bname])


def plan_resource(schema, prior, proposed, config):
    if proposed is None:
        return None, []
    create = prior is None
    planned = copy.deepcopy(proposed)
    replace_paths = []
    plan_block_attrs(schema["attrs"], prior, planned, config, create, replace_paths, [])
    plan_blocks(schema["blocks"], prior, planned, config, create, replace_paths, [])
    # tags_all (verify.SetTagsDiff)
    if "tags_all" in schema["attrs"]:
        tags = planned.get("tags")
        if tags is Unknown or (isinstance(tags, dict) and any(v is Unknown for v in tags.values())):
            planned["tags_all"] = Unknown
        elif tags:
            planned["tags_all"] = dict(tags)
        elif create:
            planned["tags_all"] = Unknown
        elif prior is not None and prior.get("tags_all"):
            planned["tags_all"] = Unknown
    if replace_paths:
        # ForceNew: every computed value not in configuration becomes unknown
        for name, a in schema["attrs"].items():
            if a.get("computed") and (config or {}).get(name) is None and name != "tags_all":
                planned[name] = Unknown
        for bname, b in schema["blocks"].items():
            cfg_list = (config or {}).get(bname) or []
            if b.get("computed") and not cfg_list:
                planned[bname] = Unknown
                continue
            if b["nesting"] != "list":
                continue
            for i, el in enumerate(planned.get(bname) or []):
                cfg_el = cfg_list[i] if i < len(cfg_list) else {}
                for name, a in b["attrs"].items():
                    if a.get("computed") and (cfg_el or {}).get(name) is None:
                        el[name] = Unknown
    return planned, replace_paths


# ----------------------------------------------------------------- apply
DEFAULT_POLICY = json.dumps(
    {
        "Id": "key-default-1",
        "Statement": [
            {
                "Action": "kms:*",
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                "Resource": "*",
                "Sid": "Enable IAM User Permissions",
            }
        ],
        "Version": "2012-10-17",
    },
    separators=(",", ":"),
)


def fill(type_name, planned, config):
    s = copy.deepcopy(planned)

    def setu(k, v):
        if s.get(k) is Unknown:
            s[k] = v

    if type_name == "aws_ecr_repository":
        name = s["name"]
        setu("arn", f"arn:aws:ecr:{REGION['r']}:{ACCOUNT}:repository/{name}")
        setu("id", name)
        setu("registry_id", ACCOUNT)
        setu("repository_url", f"{ACCOUNT}.dkr.ecr.{REGION['r']}.amazonaws.com/{name}")
        if not s["encryption_configuration"]:
            s["encryption_configuration"] = [{"encryption_type": "AES256", "kms_key": ""}]
        for el in s["encryption_configuration"]:
            if el.get("kms_key") is Unknown or el.get("kms_key") is None:
                if el["encryption_type"] in ("KMS", "KMS_DSSE"):
                    el["kms_key"] = key_arn(AWS_ECR_KEY)
                else:
                    el["kms_key"] = ""
            elif el["kms_key"].startswith("alias/"):
                el["kms_key"] = key_arn(alias_target(el["kms_key"]))
        if not s["image_scanning_configuration"]:
            s["image_scanning_configuration"] = [{"scan_on_push": False}]
        if s.get("tags") is None:
            s["tags"] = {}
        setu("tags_all", dict(s["tags"]))
    elif type_name == "aws_ecr_repository_creation_template":
        setu("id", s["prefix"])
        setu("registry_id", ACCOUNT)
        for el in s["encryption_configuration"]:
            if el.get("kms_key") is Unknown:
                el["kms_key"] = ""
        for k in ("custom_role_arn", "description", "lifecycle_policy", "repository_policy"):
            if s.get(k) is None:
                s[k] = ""
        if s.get("resource_tags") is None:
            s["resource_tags"] = {}
    elif type_name == "aws_kms_key":
        kid = uid("key", s.get("description"), json.dumps(s.get("tags"), sort_keys=True))
        setu("arn", key_arn(kid))
        setu("id", kid)
        setu("key_id", kid)
        setu("description", "")
        setu("multi_region", False)
        setu("policy", DEFAULT_POLICY)
        setu("rotation_period_in_days", 365 if s.get("enable_key_rotation") else 0)
        if s.get("tags") is None:
            s["tags"] = {}
        setu("tags_all", dict(s["tags"]))
    elif type_name == "aws_kms_alias":
        if s.get("name") is Unknown:
            s["name"] = "alias/terraform-" + uid("alias", s["target_key_id"])[:20]
        setu("name_prefix", "")
        setu("arn", f"arn:aws:kms:{REGION['r']}:{ACCOUNT}:{s['name']}")
        setu("id", s["name"])
        tk = s["target_key_id"]
        kid = tk.rsplit("/", 1)[-1]
        setu("target_key_arn", key_arn(kid))
    elif type_name == "aws_s3_bucket":
        # resourceBucketCreate / resourceBucketRead: create.Name(bucket, bucket_prefix)
        name = s.get("bucket")
        if name is Unknown or name is None:
            prefix = s.get("bucket_prefix")
            prefix = "terraform-" if prefix in (Unknown, None) else prefix
            name = prefix + unique_suffix("bucket", prefix, json.dumps(config, sort_keys=True, default=str))
        s["bucket"] = name
        setu("bucket_prefix", name[:-26] if name[-26:].isdigit() and len(name) > 26 else "")
        setu("id", name)
        setu("arn", f"arn:aws:s3:::{name}")
        setu("bucket_domain_name", f"{name}.s3.amazonaws.com")
        setu("bucket_regional_domain_name", f"{name}.s3.{REGION['r']}.amazonaws.com")
        setu("hosted_zone_id", "Z1BKCTXD74EZPE")
        setu("region", REGION["r"])
        setu("acceleration_status", "")
        setu("acl", None)
        setu("object_lock_enabled", False)
        setu("policy", "")
        setu("request_payer", "BucketOwner")
        setu("website_domain", None)
        setu("website_endpoint", None)
        setu("cors_rule", [])
        setu("grant", [
            {"id": "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
             "permissions": ["FULL_CONTROL"], "type": "CanonicalUser", "uri": ""}
        ])
        setu("lifecycle_rule", [])
        setu("logging", [])
        setu("object_lock_configuration", [])
        setu("replication_configuration", [])
        # Every bucket has a default encryption (SSE-S3 since January 2023).
        setu("server_side_encryption_configuration", [
            {"rule": [{"apply_server_side_encryption_by_default": [{"kms_master_key_id": "", "sse_algorithm": "AES256"}],
                       "bucket_key_enabled": False}]}
        ])
        for c in s["server_side_encryption_configuration"]:
            for r in c["rule"]:
                if r.get("bucket_key_enabled") is None:
                    r["bucket_key_enabled"] = False
                for d in r["apply_server_side_encryption_by_default"]:
                    if d.get("kms_master_key_id") is None:
                        d["kms_master_key_id"] = ""
        setu("versioning", [{"enabled": False, "mfa_delete": False}])
        setu("website", [])
        if s.get("tags") is None:
            s["tags"] = {}
        setu("tags_all", dict(s["tags"]))
    elif type_name == "aws_s3_bucket_server_side_encryption_configuration":
        owner = s.get("expected_bucket_owner") or ""
        setu("id", f"{s['bucket']},{owner}" if owner else s["bucket"])
        if s.get("expected_bucket_owner") is None:
            s["expected_bucket_owner"] = ""
        for r in s.get("rule") or []:
            # flattenServerSideEncryptionRules: S3 returns BucketKeyEnabled
            if r.get("bucket_key_enabled") is None:
                r["bucket_key_enabled"] = False
    elif type_name == "aws_ecr_repository_policy":
        setu("id", s["repository"])
        setu("registry_id", ACCOUNT)
    elif type_name in ("aws_ecr_registry_policy", "aws_ecr_registry_scanning_configuration"):
        setu("id", ACCOUNT)
        setu("registry_id", ACCOUNT)
    elif type_name == "aws_kms_key_policy":
        setu("id", s["key_id"])
    elif type_name == "aws_kms_replica_key":
        kid = s["primary_key_arn"].rsplit("/", 1)[-1]
        region = "eu-central-1"
        setu("arn", f"arn:aws:kms:{region}:{ACCOUNT}:key/{kid}")
        setu("id", kid)
        setu("key_id", kid)
        setu("key_rotation_enabled", False)
        setu("key_spec", "SYMMETRIC_DEFAULT")
        setu("key_usage", "ENCRYPT_DECRYPT")
        setu("policy", DEFAULT_POLICY)
        if s.get("description") is None:
            s["description"] = ""
        if s.get("tags") is None:
            s["tags"] = {}
        setu("tags_all", dict(s["tags"]))
    return s


# ----------------------------------------------------------------- aws_iam_policy_document
# internal/service/iam/policy_model.go and policy_document_data_source.go. A statement is
# a dict with the IAMPolicyStatement fields; Principal / NotPrincipal are lists of
# (type, identifiers), Condition a list of (test, variable, values); identifiers and
# values are a string or a list of strings, as in the Go model.
STATEMENT_FIELDS = [
    "Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Principal", "NotPrincipal", "Condition",
]


def decode_string_list(items):
    """policyDecodeConfigStringList: one element is a string, more are sorted in reverse."""
    if len(items) == 1:
        return items[0]
    return sorted(items, reverse=True)


def replace_vars(v, version):
    """dataSourcePolicyDocumentReplaceVarsInList: &{ is how a configuration writes ${."""
    if isinstance(v, str):
        return v.replace("&{", "${")
    return [x.replace("&{", "${") for x in v]


def marshal_principals(ps):
    if len(ps) == 1 and ps[0][0] == "*" and ps[0][1] in ("*", ["*"]):
        return "*"
    raw = {}
    for typ, ids in ps:
        cur = raw.get(typ)
        if isinstance(ids, list):
            new = [] if cur is None else ([cur] if isinstance(cur, str) else cur)
            raw[typ] = new + sorted(ids, reverse=True)
        elif cur is None:
            raw[typ] = ids
        elif isinstance(cur, str):
            raw[typ] = [cur, ids]
        else:
            raw[typ] = cur + [ids]
    return {k: raw[k] for k in sorted(raw)}


def marshal_conditions(cs):
    raw = {}
    for test, variable, values in cs:
        t = raw.setdefault(test, {})
        t.setdefault(variable, [])
        t[variable] += values if isinstance(values, list) else [values]
    return {
        k: {v: (raw[k][v][0] if len(raw[k][v]) == 1 else raw[k][v]) for v in sorted(raw[k])} for k in sorted(raw)
    }


def marshal_document(doc):
    out = {}
    if doc["Version"]:
        out["Version"] = doc["Version"]
    if doc["Id"]:
        out["Id"] = doc["Id"]
    stmts = []
    for st in doc["Statements"]:
        o = {}
        for f in STATEMENT_FIELDS:
            v = st.get(f)
            if f in ("Principal", "NotPrincipal"):
                if v:
                    o[f] = marshal_principals(v)
            elif f == "Condition":
                if v:
                    o[f] = marshal_conditions(v)
            elif f in ("Sid", "Effect"):
                if v:
                    o[f] = v
            elif v is not None:
                o[f] = v
        stmts.append(o)
    if stmts:
        out["Statement"] = stmts
    return out


def merge_document(into, new):
    """IAMPolicyDoc.Merge"""
    if new["Id"]:
        into["Id"] = new["Id"]
    if new["Version"] > into["Version"]:
        into["Version"] = new["Version"]
    for st in new["Statements"]:
        if not st.get("Sid"):
            into["Statements"].append(st)
            continue
        for i, old in enumerate(into["Statements"]):
            if old.get("Sid") == st["Sid"]:
                into["Statements"][i] = st
                break
        else:
            into["Statements"].append(st)


def unmarshal_document(text):
    """json.Unmarshal into IAMPolicyDoc (field names match case-insensitively)."""
    raw = json.loads(text)

    def field(obj, name):
        for k, v in obj.items():
            if k.lower() == name.lower():
                return v
        return None

    doc = {"Version": field(raw, "Version") or "", "Id": field(raw, "Id") or "", "Statements": []}
    for rs in field(raw, "Statement") or []:
        st = {}
        for f in STATEMENT_FIELDS:
            v = field(rs, f)
            if v is None:
                continue
            if f in ("Principal", "NotPrincipal"):
                if isinstance(v, str):
                    st[f] = [("*", ["*"])]
                else:
                    st[f] = [(k, x if isinstance(x, str) else sorted(x)) for k, x in v.items()]
            elif f == "Condition":
                cs = []
                for test, tv in v.items():
                    for var, vals in tv.items():
                        if isinstance(vals, bool):
                            vals = "true" if vals else "false"
                        elif isinstance(vals, str):
                            vals = [vals]
                        cs.append((test, var, vals))
                st[f] = cs
            else:
                st[f] = v
        doc["Statements"].append(st)
    return doc


def policy_document(cfg):
    """dataSourcePolicyDocumentRead: the json, minified_json and id attributes."""
    merged = {"Version": "", "Id": "", "Statements": []}
    for src in cfg.get("source_policy_documents") or []:
        if src is not None:
            merge_document(merged, unmarshal_document(src))
    version = cfg.get("version") or "2012-10-17"
    doc = {"Version": version, "Id": cfg.get("policy_id") or "", "Statements": []}
    for c in cfg.get("statement") or []:
        st = {"Effect": c.get("effect") or "Allow", "Sid": c.get("sid") or ""}
        if c.get("actions"):
            st["Action"] = decode_string_list(c["actions"])
        if c.get("not_actions"):
            st["NotAction"] = decode_string_list(c["not_actions"])
        if c.get("resources"):
            st["Resource"] = replace_vars(decode_string_list(c["resources"]), version)
        if c.get("not_resources"):
            st["NotResource"] = replace_vars(decode_string_list(c["not_resources"]), version)
        # Blocks of a set are taken in the order Terraform sends them; the provider takes
        # them in schema.Set order. It matters only for several blocks of one principal
        # type, or several conditions on one test and variable.
        for attr, f in (("principals", "Principal"), ("not_principals", "NotPrincipal")):
            if c.get(attr):
                st[f] = [
                    (p["type"], replace_vars(decode_string_list(p["identifiers"]), version)) for p in c[attr]
                ]
        if c.get("condition"):
            cs = []
            for k in c["condition"]:
                values = replace_vars([v for v in k["values"] if isinstance(v, str)], version)
                cs.append((k["test"], k["variable"], values[0] if len(values) == 1 else values))
            st["Condition"] = cs
        doc["Statements"].append(st)
    merge_document(merged, doc)
    for o in cfg.get("override_policy_documents") or []:
        if o is not None:
            merge_document(merged, unmarshal_document(o))
    out = marshal_document(merged)
    pretty = go_json(out, indent=True)
    return pretty, go_json(out), str(zlib.crc32(pretty.encode()))


def read_data(type_name, config):
    s = dict(config)
    if type_name == "aws_iam_policy_document":
        s["json"], s["minified_json"], s["id"] = policy_document(config)
        s["version"] = s.get("version") or "2012-10-17"
        # helper/schema writes every attribute of a nested block element: empty sets,
        # "" for an unset sid, the effect default
        stmts = []
        for c in s.get("statement") or []:
            st = {k: c.get(k) or [] for k in ("actions", "not_actions", "resources", "not_resources")}
            st["condition"] = [dict(k) for k in c.get("condition") or []]
            st["principals"] = [dict(p) for p in c.get("principals") or []]
            st["not_principals"] = [dict(p) for p in c.get("not_principals") or []]
            st["effect"] = c.get("effect") or "Allow"
            st["sid"] = c.get("sid") or ""
            stmts.append(st)
        s["statement"] = stmts
        return s
    if type_name == "aws_caller_identity":
        s.update(
            account_id=ACCOUNT,
            arn=f"arn:aws:iam::{ACCOUNT}:user/terraform",
            id=ACCOUNT,
            user_id="AIDACKCEVSQ6C2EXAMPLE",
        )
        return s
    if type_name == "aws_kms_alias":
        name = s["name"]
        kid = alias_target(name)
        s["arn"] = f"arn:aws:kms:{REGION['r']}:{ACCOUNT}:{name}"
        s["id"] = s["arn"]
        s["target_key_id"] = kid
        s["target_key_arn"] = key_arn(kid)
    elif type_name == "aws_kms_key":
        ref = s["key_id"]
        if ref.startswith("alias/"):
            kid = alias_target(ref)
        else:
            kid = ref.rsplit("/", 1)[-1]
        managed = kid in AWS_MANAGED_KEYS.values()
        s.update(
            arn=key_arn(kid),
            aws_account_id=ACCOUNT,
            cloud_hsm_cluster_id="",
            creation_date="2023-03-14T09:26:53Z",
            custom_key_store_id="",
            customer_master_key_spec="SYMMETRIC_DEFAULT",
            deletion_date="",
            description=(
                "Default key that protects my S3 objects when no other key is defined"
                if kid == AWS_S3_KEY
                else "Default key that protects my ECR data when no other key is defined"
            )
            if managed
            else "Customer managed key for ECR images",
            enabled=True,
            expiration_model="",
            id=kid,
            key_manager="AWS" if managed else "CUSTOMER",
            key_spec="SYMMETRIC_DEFAULT",
            key_state="Enabled",
            key_usage="ENCRYPT_DECRYPT",
            multi_region=False,
            multi_region_configuration=[],
            origin="AWS_KMS",
            pending_deletion_window_in_days=0,
            valid_to="",
            xks_key_configuration=[],
        )
    return s


# ----------------------------------------------------------------- servicer
class FakeAws(rpc.ProviderServicer):
    def __init__(self, app=None):
        pass

    def GetMetadata(self, request, context):
        return pb.GetMetadata.Response(
            server_capabilities=pb.ServerCapabilities(plan_destroy=True, get_provider_schema_optional=False),
            resources=[pb.GetMetadata.ResourceMetadata(type_name=t) for t in RESOURCES],
            data_sources=[pb.GetMetadata.DataSourceMetadata(type_name=t) for t in DATA_SOURCES],
        )

    def GetProviderSchema(self, request, context):
        return pb.GetProviderSchema.Response(
            provider=schema_pb(PROVIDER),
            provider_meta=pb.Schema(version=0, block=pb.Schema.Block(version=0)),
            resource_schemas={k: schema_pb(v) for k, v in RESOURCES.items()},
            data_source_schemas={k: schema_pb(v) for k, v in DATA_SOURCES.items()},
            server_capabilities=pb.ServerCapabilities(plan_destroy=True),
        )

    def ValidateProviderConfig(self, request, context):
        return pb.ValidateProviderConfig.Response()

    def ValidateResourceConfig(self, request, context):
        return pb.ValidateResourceConfig.Response()

    def ValidateDataResourceConfig(self, request, context):
        return pb.ValidateDataResourceConfig.Response()

    def ConfigureProvider(self, request, context):
        conf = read_dynamic_value(request.config)
        if conf and conf.get("region"):
            REGION["r"] = conf["region"]
        return pb.ConfigureProvider.Response()

    def UpgradeResourceState(self, request, context):
        state = json.loads(request.raw_state.json)
        return pb.UpgradeResourceState.Response(upgraded_state=to_dynamic_value(state))

    def ReadResource(self, request, context):
        st = read_dynamic_value(request.current_state)
        return pb.ReadResource.Response(new_state=to_dynamic_value(st), private=request.private)

    def PlanResourceChange(self, request, context):
        schema = RESOURCES[request.type_name]
        prior = read_dynamic_value(request.prior_state)
        proposed = read_dynamic_value(request.proposed_new_state)
        config = read_dynamic_value(request.config)
        planned, rr = plan_resource(schema, prior, proposed, config)
        log("PLAN", request.type_name, prior, proposed, config, "->", planned, rr)

        def path_pb(p):
            steps = []
            for s in p:
                if isinstance(s, int):
                    steps.append(pb.AttributePath.Step(element_key_int=s))
                else:
                    steps.append(pb.AttributePath.Step(attribute_name=s))
            return pb.AttributePath(steps=steps)

        return pb.PlanResourceChange.Response(
            planned_state=to_dynamic_value(planned),
            requires_replace=[path_pb(p) for p in rr],
            legacy_type_system=True,
        )

    def ApplyResourceChange(self, request, context):
        planned = read_dynamic_value(request.planned_state)
        config = read_dynamic_value(request.config)
        if planned is None:
            return pb.ApplyResourceChange.Response(new_state=to_dynamic_value(None), legacy_type_system=True)
        new = fill(request.type_name, planned, config)
        log("APPLY", request.type_name, new)
        return pb.ApplyResourceChange.Response(new_state=to_dynamic_value(new), legacy_type_system=True)

    def ReadDataSource(self, request, context):
        config = read_dynamic_value(request.config)
        st = read_data(request.type_name, config)
        log("DATA", request.type_name, st)
        return pb.ReadDataSource.Response(state=to_dynamic_value(st))

    def ImportResourceState(self, request, context):
        return pb.ImportResourceState.Response()

    def StopProvider(self, request, context):
        return pb.StopProvider.Response()


class _App:
    def full_name(self):
        return "registry.terraform.io/hashicorp/aws"


if __name__ == "__main__":
    tf.provider.ProviderServicer = FakeAws
    from tf.runner import run_provider

    run_provider(_App(), sys.argv)
