"""Print the line of a finding location.
tf:   loc.py tf FILE TYPE NAME header|block|type|key
plan: loc.py plan FILE ADDRESS
"""
import json, re, sys

def tf(path, rtype, name, kind):
    lines = open(path).read().split("\n")
    start = None
    for i, l in enumerate(lines):
        if l == f'resource "{rtype}" "{name}" {{':
            start = i
            break
    assert start is not None, (path, rtype, name)
    end = next(i for i in range(start, len(lines)) if lines[i] == "}")
    if kind == "header":
        return start + 1
    blk = [i for i in range(start, end) if lines[i].strip() in ("encryption_configuration {", "encryption_configuration {}")]
    assert len(blk) == 1
    b = blk[0]
    if kind == "block":
        return b + 1
    bend = b if lines[b].strip().endswith("{}") else next(i for i in range(b, end) if lines[i].strip() == "}")
    attr = {"type": "encryption_type", "key": "kms_key"}[kind]
    hits = [i for i in range(b, bend) if re.match(rf"\s*{attr}\s*=", lines[i])]
    assert len(hits) == 1, (path, name, kind)
    return hits[0] + 1

def plan(path, address):
    lines = open(path).read().split("\n")
    rc = lines.index('  "resource_changes": [')
    want = '      "address": ' + json.dumps(address) + ","
    hits = [i for i in range(rc, len(lines)) if lines[i] == want]
    # stop at the end of resource_changes
    endrc = next(i for i in range(rc, len(lines)) if lines[i] == "  ],")
    hits = [h for h in hits if h < endrc]
    assert len(hits) == 1, (path, address, hits)
    return hits[0] + 1

if sys.argv[1] == "tf":
    print(tf(*sys.argv[2:6]))
else:
    print(plan(sys.argv[2], sys.argv[3]))
