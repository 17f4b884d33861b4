#!/usr/bin/env python3
"""The obvious alternative ovm-deps is measured against (issue 6): run every vm.cfg through Python
(exec, as xm did) and stat its disks. A reference only, run by `npm run bench` on the synthetic
estates it generates; the product never executes a vm.cfg.

Usage: python3 bench/reference.py ROOT   (a folder of repository folders)
Prints one JSON line: {"guests": N, "stats": N, "errors": N, "maxRssMiB": N}."""
import json
import os
import resource
import sys

root = sys.argv[1]
prefix = "/OVS/Repositories/"
guests = stats = errors = 0
for repository in os.listdir(root):
    for area in ("VirtualMachines", "Templates"):
        folder = os.path.join(root, repository, area)
        if not os.path.isdir(folder):
            continue
        for vm in os.listdir(folder):
            config = os.path.join(folder, vm, "vm.cfg")
            try:
                with open(config, "rb") as f:
                    scope = {}
                    exec(compile(f.read().decode("utf-8-sig", "replace"), config, "exec"), {}, scope)
            except Exception:
                errors += 1
                continue
            guests += 1
            for entry in scope.get("disk", []):
                fields = str(entry).split(",")
                target = fields[0].split(":")[-1] if ":" in fields[0] else fields[0]
                if target.startswith(prefix):  # rebase /OVS/Repositories/<id>/… onto the scanned copy
                    target = os.path.join(root, target[len(prefix):])
                try:
                    os.lstat(target)
                    stats += 1
                except OSError:
                    pass
rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"guests": guests, "stats": stats, "errors": errors, "maxRssMiB": rss_mib}))
