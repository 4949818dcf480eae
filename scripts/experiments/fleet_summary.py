#!/usr/bin/env python3
"""Summary of one fleet_learning.sh setup: per-robot training tallies from run.json, the learner's counters from
serve.json, and evaluation success before (the newest pretrained task policy) and after (the checkpoint), with Wilson
95 % intervals. Writes OUT/summary.json and prints it.

usage: fleet_summary.py OUT NAME ROBOTS UPDATES BATCH SECONDS CHECKPOINT
"""
import json
import math
import sys
from pathlib import Path


def wilson(k, n, z=1.96):
    if n == 0:
        return [0.0, 1.0]
    p = k / n
    d = 1 + z * z / n
    c = (p + z * z / (2 * n)) / d
    h = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return [round(c - h, 4), round(c + h, 4)]


def rate(k, n):
    return {"count": k, "of": n, "rate": round(k / n, 4) if n else None, "ci95": wilson(k, n)}


def main():
    out, name, robots, updates, batch, seconds, ckpt = sys.argv[1:8]
    out = Path(out)
    per_robot = {}
    tot_ep = tot_ir = tot_succ = tot_steps = 0
    for run in sorted(out.glob("run-*/run.json")):
        r = json.loads(run.read_text())
        rl = r.get("remoteLearning") or {}
        up = rl.get("uplink", {})
        down = rl.get("downlink", {})
        robot = run.parent.name[len("run-"):]
        per_robot[robot] = {
            "episodes": r["episodes"], "successes": r["successes"], "irFailures": r["irFailures"],
            "steps": r["steps"], "missedDeadlines": r["missedDeadlines"],
            "irFailureEpisodes": rate(r["irFailures"], r["episodes"]),
            "stepsSent": up.get("stepsOffered"), "stepsAccepted": up.get("stepsAccepted"),
            "stepsStale": up.get("stepsStale"), "stepsDropped": up.get("stepsDropped"),
            "spooled": up.get("spooled"), "policiesSwapped": down.get("swapped"),
            "activeVersion": down.get("activeVersion"), "refused": (down.get("refusedMessage", 0)
                                                                    + down.get("refusedShape", 0)),
        }
        tot_ep += r["episodes"]
        tot_ir += r["irFailures"]
        tot_succ += r["successes"]
        tot_steps += r["steps"]
    serve = json.loads((out / "serve.json").read_text()).get("learning", {})
    rows = json.loads((out / "eval.json").read_text())["rows"]
    pretrained = [x for x in rows if x["actor"].startswith("task-policy/")][-1]
    after = [x for x in rows if x["actor"].startswith("checkpoint/")][-1]
    summary = {
        "name": name, "robots": int(robots), "updates": int(updates), "batchSteps": int(batch),
        "samplesTrained": int(updates) * int(batch), "wallSecondsToLastUpdate": int(seconds), "checkpoint": ckpt,
        "training": {"episodes": tot_ep, "steps": tot_steps, "successes": rate(tot_succ, tot_ep),
                     "irFailureEpisodes": rate(tot_ir, tot_ep),
                     "irFailuresPer1kSteps": round(1000 * tot_ir / tot_steps, 3) if tot_steps else None},
        "perRobot": per_robot,
        "learner": {k: serve.get(k) for k in ("batches", "duplicates", "stepsAccepted", "stepsStale", "updates",
                                              "policyVersion", "policiesPublished", "robots")},
        "evalBefore": {"actor": pretrained["actor"], **rate(pretrained["successes"], pretrained["episodes"]),
                       "irFailures": pretrained["irFailures"]},
        "evalAfter": {"actor": after["actor"], **rate(after["successes"], after["episodes"]),
                      "irFailures": after["irFailures"]},
    }
    (out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
