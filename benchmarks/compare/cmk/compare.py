#!/usr/bin/env python3
"""Per-rule comparison of tfcheck's cmk family with Checkov on one corpus (docs/comparison.md).

  compare.py TFCHECK_JSON CHECKOV_TSV... [--roots FILE] [--rows RULE]

TFCHECK_JSON: `tfcheck CORPUS --no-config -f json --rule cmk --rule zz_inventory
  --rules benchmarks/compare/cmk` run from the directory above CORPUS.
CHECKOV_TSV: check id, PASSED/FAILED, corpus-relative file, resource address, lines (one
  result per line, from Checkov's JSON). Several files are merged: give the results of a run
  that ignores `#checkov:skip` comments for the skipped ones, as tfcheck's side counts its
  suppressed findings too.
--roots FILE: only files below these corpus-relative directories (the ones Checkov ran on).

Both sides are compared per resource block: (file, type.name). A block fails on a side when any
of its instances (any module call, any count/for_each key) fails there; on Checkov's side,
when any of the rule's Checkov checks fails it.
"""
import collections
import json
import re
import sys

# tfcheck rule -> the Checkov checks that ask the same question (or the nearest one).
CHECKOV = {
    "s3_nocmk": ["CKV_AWS_145"],
    "sns_nocmk": ["CKV_AWS_26"],
    "sqs_nocmk": ["CKV2_AWS_73", "CKV_AWS_27"],
    "logs_nocmk": ["CKV_AWS_158"],
    "dynamodb_nocmk": ["CKV_AWS_119"],
    "secretsmanager_nocmk": ["CKV_AWS_149"],
    "ebs_nocmk": ["CKV_AWS_189", "CKV_AWS_8"],
    "rds_nocmk": ["CKV_AWS_16", "CKV_AWS_327", "CKV_AWS_182", "CKV_AWS_347"],
    "kinesis_nocmk": ["CKV_AWS_185", "CKV_AWS_241"],
    "eks_nocmk": ["CKV_AWS_58"],
    "efs_nocmk": ["CKV_AWS_184"],
    "lambda_nocmk": ["CKV_AWS_173"],
    "ssm_nocmk": ["CKV_AWS_337"],
    "cloudtrail_nocmk": ["CKV_AWS_35"],
    "backup_nocmk": ["CKV_AWS_166"],
    "elasticache_nocmk": ["CKV_AWS_191"],
    "redshift_nocmk": ["CKV_AWS_142"],
    "opensearch_nocmk": ["CKV_AWS_247"],
    "msk_nocmk": ["CKV_AWS_81"],
    "codebuild_nocmk": ["CKV_AWS_147"],
}

BLOCK = re.compile(r"(aws_[a-z0-9_]+)\.([^.\[\]]+)(\[[^\]]*\])?$")


def block(path, address):
    m = BLOCK.search(address)
    return (path, f"{m.group(1)}.{m.group(2)}") if m else None


def main():
    tf = json.load(open(sys.argv[1]))
    rows_for = None
    if "--rows" in sys.argv:
        rows_for = sys.argv[sys.argv.index("--rows") + 1]
    checkov_files = [a for a in sys.argv[2:] if a.endswith(".tsv")]
    prefix = re.compile(r"^(\./)?(target/corpus/big/|big/)?")
    roots = None
    if "--roots" in sys.argv:
        roots = [prefix.sub("", line.strip().split("/corpus/big/")[-1]).rstrip("/") + "/"
                 for line in open(sys.argv[sys.argv.index("--roots") + 1]) if line.strip()]
    inside = lambda path: roots is None or any(path.startswith(r) for r in roots)
    # tfcheck: failing blocks per rule (active or suppressed), and every evaluated block.
    fails = collections.defaultdict(dict)
    evaluated = {}
    for f in tf["findings"]:
        b = block(prefix.sub("", f["file"]), f["address"])
        if b is None or not inside(b[0]):
            continue
        if f["rule"] == "zz_inventory":
            evaluated[b] = f["address"]
        else:
            fails[f["rule"]].setdefault(b, f)
    # Checkov: results per check and block.
    ck = collections.defaultdict(dict)
    for line in (line for name in checkov_files for line in open(name)):
        parts = line.rstrip("\n").split("\t")
        if len(parts) < 4 or parts[1] not in ("PASSED", "FAILED"):
            continue
        check, result, path, address = parts[:4]
        b = block(prefix.sub("", path.lstrip("/")), address)
        if b is None or not inside(b[0]):
            continue
        prev = ck[check].get(b)
        ck[check][b] = "FAILED" if "FAILED" in (prev, result) else result
    print("| rule | Checkov | tfcheck findings (blocks) | both report | only tfcheck | only Checkov | Checkov no result, tfcheck reports |")
    print("|---|---|---|---|---|---|---|")
    detail = {}
    for rule, checks in CHECKOV.items():
        types = {b[1].split(".")[0] for b in fails[rule]}
        ckv = {}
        for c in checks:
            for b, r in ck[c].items():
                ckv[b] = "FAILED" if "FAILED" in (ckv.get(b), r) else r
        t = set(fails[rule])
        c_fail = {b for b, r in ckv.items() if r == "FAILED"}
        c_seen = set(ckv)
        both = t & c_fail
        only_t = t - c_fail
        only_c = c_fail - t
        no_result = {b for b in only_t if b not in c_seen}
        print(f"| `{rule}` | {', '.join(checks)} | {len(t)} | {len(both)} | {len(only_t) - len(no_result)} | {len(only_c)} | {len(no_result)} |")
        detail[rule] = (only_t - no_result, only_c, no_result)
    if rows_for:
        only_t, only_c, no_result = detail[rows_for]
        for label, rows in (("only tfcheck", only_t), ("only Checkov", only_c), ("Checkov no result", no_result)):
            print(f"\n## {rows_for}: {label} ({len(rows)})")
            for b in sorted(rows):
                f = fails[rows_for].get(b)
                state = f["message"] if f else ("tfcheck evaluated it: no finding" if b in evaluated else "tfcheck did not evaluate it")
                line = f"{f['line']}" if f else "?"
                print(f"{b[0]}:{line}\t{b[1]}\t{state}")


if __name__ == "__main__":
    main()
