#!/usr/bin/env python3
"""Reference reading of ../shared/corpus/real with Python itself, as `xm create` did (exec), plus
xend's disk-entry split. Writes fixtures/corpus/real-expected.json, which the tests compare with
ovm-deps's reader. A reference only: it runs on the shared corpus, the product never executes
a vm.cfg. Usage: python3 tools/corpus-reference.py [../shared/corpus/real]"""
import json
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
corpus = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "..", "shared", "corpus", "real")


def to_json(v):
    if isinstance(v, (list, tuple)):
        return [to_json(x) for x in v]
    if isinstance(v, dict):
        return {str(k): to_json(x) for k, x in v.items()}
    return v


def xend_disk(spec):
    """xend's create.py preprocess_disk + blkif.parse_uname, for the legacy form."""
    d = spec.split(",")
    if len(d) not in (3, 4, 5):
        return {"spec": spec, "error": "invalid"}
    uname, dev, mode = d[0], d[1], d[2]
    path = None
    if uname:
        typ, fn = uname.split(":", 1)
        if typ == "phy" and not fn.startswith("/"):
            fn = "/dev/" + fn
        if typ in ("tap", "tap2"):
            sub, fn = fn.split(":", 1)
            if sub == "tapdisk":
                sub, fn = fn.split(":", 1)
        if fn.startswith("//"):  # file:///x is /x
            fn = "/" + fn.lstrip("/")
        path = fn
    devtype = "cdrom" if dev.endswith(":cdrom") else "disk"
    vdev = dev.split(":")[1] if dev.startswith("ioemu:") else dev
    vdev = vdev.split(":")[0]
    return {"spec": spec, "path": path, "vdev": vdev, "devtype": devtype, "access": mode}


result = {}
for name in sorted(os.listdir(corpus)):
    if not name.endswith(".cfg"):
        continue
    text = open(os.path.join(corpus, name), encoding="utf-8-sig").read()
    scope = {}
    try:
        exec(compile(text, name, "exec"), {"__builtins__": {}}, scope)
    except Exception as e:  # non-declarative files need names Python does not have here
        result[name] = {"executable": False, "error": type(e).__name__}
        continue
    values = {k: to_json(v) for k, v in scope.items()}
    disks = values.get("disk", [])
    result[name] = {"executable": True, "values": values, "disks": [xend_disk(s) for s in disks]}

out = os.path.join(here, "..", "fixtures", "corpus", "real-expected.json")
with open(out, "w") as f:
    json.dump(result, f, indent=1, sort_keys=True, ensure_ascii=False)
    f.write("\n")
print("wrote", out, len(result), "files")
