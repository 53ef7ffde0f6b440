#!/usr/bin/env python3
"""Runs Checkov once per root of a corpus, restricted to the checks compare.py maps (docs/comparison.md).

  BC_SKIP_MAPPING=TRUE python3 checkov_run.py CORPUS ROOTS OUT.jsonl [--ignore-skip-comments]

ROOTS: one corpus-relative directory per line (roots.txt: the repositories, the five largest
split by environment, namespace or component); `FILES:dir` means only the `.tf` files directly
in dir. Each line of OUT.jsonl is {root, secs, report} with Checkov's JSON report for that root.
--ignore-skip-comments: results as if no `#checkov:skip` comment were there (the verdicts the
comments suppress).
"""
import json
import logging
import os
import sys
import time

os.environ.setdefault("BC_SKIP_MAPPING", "TRUE")
logging.disable(logging.WARNING)
from checkov.common.util.json_utils import CustomJSONEncoder  # noqa: E402
from checkov.runner_filter import RunnerFilter  # noqa: E402
from checkov.terraform.runner import Runner  # noqa: E402

CHECKS = ("CKV_AWS_19,CKV_AWS_145,CKV_AWS_26,CKV_AWS_27,CKV2_AWS_73,CKV_AWS_158,CKV_AWS_119,"
          "CKV_AWS_149,CKV_AWS_3,CKV_AWS_189,CKV2_AWS_2,CKV_AWS_8,CKV_AWS_16,CKV_AWS_354,CKV_AWS_96,"
          "CKV_AWS_327,CKV_AWS_74,CKV_AWS_182,CKV_AWS_44,CKV_AWS_347,CKV_AWS_43,CKV_AWS_185,"
          "CKV_AWS_240,CKV_AWS_241,CKV_AWS_58,CKV_AWS_42,CKV_AWS_184,CKV_AWS_173,CKV_AWS_337,"
          "CKV2_AWS_34,CKV_AWS_35,CKV_AWS_166,CKV_AWS_29,CKV_AWS_191,CKV_AWS_64,CKV_AWS_142,CKV_AWS_5,"
          "CKV_AWS_247,CKV_AWS_81,CKV_AWS_78,CKV_AWS_147,CKV_AWS_311").split(",")


def main():
    corpus, roots, out_path = sys.argv[1:4]
    collect = "--ignore-skip-comments" not in sys.argv
    out = open(out_path, "a")
    for root in (line.strip() for line in open(roots) if line.strip()):
        start = time.time()
        rf = RunnerFilter(framework=["terraform"], checks=CHECKS)
        try:
            if root.startswith("FILES:"):
                d = os.path.join(corpus, root[len("FILES:"):])
                files = sorted(os.path.join(d, f) for f in os.listdir(d)
                               if f.endswith(".tf") and os.path.isfile(os.path.join(d, f)))
                report = Runner().run(root_folder=None, files=files, runner_filter=rf,
                                      collect_skip_comments=collect)
            else:
                report = Runner().run(root_folder=os.path.join(corpus, root), runner_filter=rf,
                                      collect_skip_comments=collect)
            for r in report if isinstance(report, list) else [report]:
                line = {"root": root, "secs": round(time.time() - start, 1),
                        "report": r.get_dict(is_quiet=False, full_report=False)}
                out.write(json.dumps(line, cls=CustomJSONEncoder) + "\n")
        except Exception as e:  # one root's failure is recorded, the run goes on
            out.write(json.dumps({"root": root, "error": repr(e)}) + "\n")
        out.flush()


if __name__ == "__main__":
    main()
