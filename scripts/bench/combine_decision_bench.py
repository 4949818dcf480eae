#!/usr/bin/python3
"""Merges DecisionBenchmark's JMH JSON and eager_decision.py's JSON files into one decision-bench.json.

Pairs jvm with eager (task action + its C_H + recovery action) and jvmBoth with eagerBoth (+ C_H of the
recovery action), per size and eager thread count, and gives jvm/eager ratios of p50 and p99 and whether the
goal (jvm p99 <= 0.25 x eager p99) is met. Also keeps the ratio to the eager figures we were once given
(380/410 us small, 1300/1370 us large, p50/p99), for comparison with earlier reports only.
"""
import argparse
import json
import os
import platform

GOAL_P99_RATIO = 0.25
GIVEN = {"small": {"p50": 380.0, "p99": 410.0}, "large": {"p50": 1300.0, "p99": 1370.0}}
PAIRS = {"jvm": "eager", "jvmBoth": "eagerBoth"}


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--jmh", required=True)
    ap.add_argument("--eager", nargs="+", required=True)
    ap.add_argument("--load", nargs="*", default=[], help="label=loadavg entries")
    ap.add_argument("--extra", nargs="*", default=[], help="name=file entries embedded as they are (JSON or text)")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()

    with open(args.jmh) as f:
        jmh = json.load(f)
    eager_reports = []
    for name in args.eager:
        with open(name) as f:
            eager_reports.append(json.load(f))
    eager_rows = [r for rep in eager_reports for r in rep["results"]]
    checks = {}
    for rep in eager_reports:
        checks.update(rep["checks"])

    comparisons = []
    for j in jmh["results"]:
        eager_path = PAIRS.get(j["path"])
        for e in eager_rows:
            if e["config"] != j["config"] or e["path"] != eager_path:
                continue
            p99 = j["p99"] / e["p99"]
            comparisons.append({
                "config": j["config"], "jvmPath": j["path"], "eagerPath": e["path"], "eagerThreads": e["threads"],
                "jvm": {"p50": j["p50"], "p99": j["p99"]}, "eager": {"p50": e["p50"], "p99": e["p99"]},
                "ratioP50": round(j["p50"] / e["p50"], 4), "ratioP99": round(p99, 4),
                "goalP99": round(GOAL_P99_RATIO * e["p99"], 1), "goalMet": p99 <= GOAL_P99_RATIO,
            })
    given = []
    for j in jmh["results"]:
        if j["path"] == "jvm" and j["config"] in GIVEN:
            g = GIVEN[j["config"]]
            given.append({"config": j["config"], "ratioP50": round(j["p50"] / g["p50"], 4),
                          "ratioP99": round(j["p99"] / g["p99"], 4)})

    loads = dict(entry.split("=", 1) for entry in args.load)
    report = {
        "benchmark": "decision-bench",
        "machine": {"cpu": cpu_model(), "cpus": os.cpu_count(), "kernel": platform.release()},
        "loadAverage": loads,
        "note": "load average is 1/5/15-minute; other people's builds may share this machine",
        "goal": f"jvm p99 <= {GOAL_P99_RATIO} x eager p99 (same networks, same machine, same run)",
        "jvm": jmh,
        "eager": {"torch": eager_reports[0]["torch"], "checks": checks, "results": eager_rows,
                  "loadAverage": {f"threads{r['results'][0]['threads'] if r['results'] else '?'}":
                                  [r["loadAverageBefore"], r["loadAverageAfter"]] for r in eager_reports}},
        "comparisons": comparisons,
        "ratioToGivenEagerFigures": {"given": GIVEN, "note": "figures given to us earlier, not measured here",
                                     "ratios": given},
    }
    for entry in args.extra:
        name, path = entry.split("=", 1)
        with open(path) as f:
            text = f.read()
        try:
            report[name] = json.loads(text)
        except ValueError:
            report[name] = text.strip().splitlines()
    with open(args.out, "w") as f:
        json.dump(report, f, indent=2)
    for c in comparisons:
        print(f"{c['config']:5s} {c['jvmPath']:7s} vs {c['eagerPath']:9s} ({c['eagerThreads']} thr): "
              f"jvm p50/p99 {c['jvm']['p50']:.1f}/{c['jvm']['p99']:.1f} us, eager {c['eager']['p50']:.1f}/"
              f"{c['eager']['p99']:.1f} us, ratio p50 {c['ratioP50']:.3f} p99 {c['ratioP99']:.3f} "
              f"(goal <= {GOAL_P99_RATIO}: {'met' if c['goalMet'] else 'not met'})")
    print(f"load average: {loads}")
    print(f"wrote {os.path.abspath(args.out)}")


if __name__ == "__main__":
    main()
