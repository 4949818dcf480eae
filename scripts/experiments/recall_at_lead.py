#!/usr/bin/env python3
"""Online recall of the gate at several leads, from the FARL runs of a `farl bench failurebench` output.

    recall_at_lead.py extract BENCH_OUT/runs OUT.json   # keep each FARL IR-failure episode's failure and alarm steps
    recall_at_lead.py report OUT.json                   # recall (IR failures warned >= L steps ahead) per task

An IR-failure episode counts as warned at lead L when an alarm (a gate warning stretch) began at least L steps before
its failure step, as GateFigures counts it; episodes without a recorded failure step are left out.
"""
import glob
import json
import os
import sys

TASKS = ["bounded-push", "bounded-soccer", "fragile-push-wall", "obstructed-push", "disturbed-push"]


def extract(runs, out):
    kept = {}
    for task in TASKS:
        for f in sorted(glob.glob(os.path.join(runs, task, "finetune-farl-seed*.json"))):
            d = json.load(open(f))
            eps = [{"failureStep": e["failureStep"], "alarmSteps": [a for a in e["alarmSteps"] if a <= e["failureStep"]]}
                   for e in d["episodes"] if e["irFailureSteps"] > 0 and e["failureStep"] >= 0]
            kept.setdefault(task, {})[f"seed{d['seed']}"] = eps
    json.dump(kept, open(out, "w"), separators=(",", ":"))


def report(path):
    kept = json.load(open(path))
    print("task               failures  warned>=1  >=2        >=4")
    for task, seeds in kept.items():
        eps = [e for s in seeds.values() for e in s]
        n = len(eps)
        row = [sum(1 for e in eps if any(a <= e["failureStep"] - lead for a in e["alarmSteps"])) for lead in (1, 2, 4)]
        print(f"{task:18s} {n:8d}  " + "  ".join(f"{w:3d} ({w / n:.2f})" for w in row))


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "extract":
        extract(sys.argv[2], sys.argv[3])
    elif len(sys.argv) >= 3 and sys.argv[1] == "report":
        report(sys.argv[2])
    else:
        sys.exit(__doc__)
