#!/usr/bin/env python3
"""Turns checkov_run.py's JSON lines into compare.py's TSV (docs/comparison.md).

  python3 checkov_tsv.py CORPUS RUN.jsonl... > checkov.tsv

One line per distinct result: check id, PASSED/FAILED/SKIPPED, corpus-relative file, resource
address, lines. The same module file called again under the same address gives one line.
"""
import json
import os
import sys


def main():
    corpus = os.path.abspath(sys.argv[1]) + "/"
    rows = set()
    for name in sys.argv[2:]:
        for line in open(name):
            report = json.loads(line).get("report", {})
            results = report.get("results", {})
            for key, label in (("passed_checks", "PASSED"), ("failed_checks", "FAILED"),
                               ("skipped_checks", "SKIPPED")):
                for r in results.get(key, []):
                    path = r.get("file_abs_path") or ""
                    lines = r.get("file_line_range") or [0, 0]
                    rows.add((r["check_id"], label, path.removeprefix(corpus), r.get("resource", ""),
                              f"{lines[0]}-{lines[1]}"))
    print("check_id\tresult\tfile\tresource\tlines")
    for row in sorted(rows):
        print("\t".join(row))


if __name__ == "__main__":
    main()
