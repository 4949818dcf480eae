#!/usr/bin/env bash
# The workstation killed and restarted under a fleet: N `farl sim-robot` processes, each driven by its own `farl run`,
# one `farl serve` for all of them, one Debian mosquitto on a free loopback port. MODE learner: the robots fine-tune
# with the remote learner (`--finetune --learner remote`, local inference). MODE inference: the robots decide
# remotely (`--inference remote --fallback recovery`). The server is SIGKILLed after KILL_AT seconds of running,
# restarted DOWN seconds later (same --state), and everything is stopped END seconds after the restart. Per robot,
# OUT/<name>/summary.json holds the run's counters (missed deadlines, fallbacks, circuit openings, steps spooled and
# drained, policy versions) and the robot side's (commands executed after their expiry, deadman stops).
#
# usage: scripts/experiments/fleet_outage.sh MODELS OUT NAME MODE ROBOTS [KILL_AT [DOWN [END [BATCH]]]]
#   e.g. scripts/experiments/fleet_outage.sh /work/fleet/models /work/fleet outage-learner learner 4 90 20 90 512
set -euo pipefail
models=$(realpath "$1"); base=$(realpath -m "$2"); name=$3; mode=$4; robots=$5
kill_at=${6:-90}; down=${7:-20}; end=${8:-90}; batch=${9:-512}
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="$base/$name"
rm -rf "$out"; mkdir -p "$out"
source "$root/scripts/experiments/fleet_lib.sh"

ids=(); for i in $(seq 1 "$robots"); do ids+=("$name-r$i"); done
list=$(IFS=,; echo "${ids[*]}")
serve() { # log report
  "${farl[@]}" serve --broker "$broker" --models "$models" --robots "$list" --learn --state "$out/state" \
    --ppo-batch "$batch" --checkpoint-updates 1 --report "$2" > "$1" 2>&1 &
  serve_pid=$!; pids+=($serve_pid)
  await_log "$1" "serve ready" 180
}
serve "$out/serve1.log" "$out/serve1.json"
start_sims "${ids[@]}"
for i in $(seq 1 "$robots"); do
  if [ "$mode" = learner ]; then
    start_run "${ids[$((i - 1))]}" $(( 1000 * i )) --finetune --learner remote --learner-timeout-ms 1000
  else
    start_run "${ids[$((i - 1))]}" $(( 1000 * i )) --inference remote --fallback recovery
  fi
done
sleep "$kill_at"
kill -KILL "$serve_pid"; wait "$serve_pid" 2>/dev/null || true
killed=$(date +%s.%N)
sleep "$down"
serve "$out/serve2.log" "$out/serve2.json"
restarted=$(date +%s.%N)
sleep "$end"
stop_runs_and_sims
kill -TERM "$serve_pid"; wait "$serve_pid" || true

python3 - "$out" "$name" "$mode" "$killed" "$restarted" <<'PY'
import json, sys
from pathlib import Path
out, name, mode, killed, restarted = Path(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
robots = {}
for run in sorted(out.glob("run-*/run.json")):
    r = json.loads(run.read_text())
    rid = run.parent.name[4:]
    bridge = json.loads((out / f"{rid}-bridge.json").read_text())
    row = {"episodes": r["episodes"], "steps": r["steps"], "irFailures": r["irFailures"],
           "missedDeadlines": r["missedDeadlines"], "holdSteps": r["holdSteps"], "recoverySteps": r["recoverySteps"],
           "executedAfterExpiry": bridge.get("executedAfterExpiry"), "deadmanStops": bridge.get("deadmanStops"),
           "commandsExpiredDropped": bridge.get("commandsExpiredDropped")}
    if r.get("remote"):
        rm = r["remote"]
        row.update({k: rm[k] for k in ("remoteDecisions", "fallbacks", "fallbacksByCause", "circuitOpenings",
                                       "circuitState", "remoteP50Nanos", "remoteP99Nanos", "deadlineNanos")})
    if r.get("remoteLearning"):
        up, down = r["remoteLearning"]["uplink"], r["remoteLearning"]["downlink"]
        row.update({"stepsSent": up["stepsOffered"], "stepsAccepted": up["stepsAccepted"],
                    "stepsStale": up["stepsStale"], "stepsDropped": up["stepsDropped"], "spooled": up["spooled"],
                    "spoolDrained": up["spoolDrained"], "spoolPending": up["spoolPending"],
                    "learnerLost": up["learnerLost"], "policiesSwapped": down["swapped"],
                    "activeVersion": down["activeVersion"], "refused": down["refusedMessage"] + down["refusedShape"]})
    robots[rid] = row
s2 = json.loads((out / "serve2.json").read_text())
summary = {"name": name, "mode": mode, "killedAt": float(killed), "restartedAt": float(restarted),
           "learnerAfterRestart": {k: (s2.get("learning") or {}).get(k) for k in
                                   ("resumedFrom", "policyVersion", "updates", "replayedBatches", "batches",
                                    "duplicates", "stepsAccepted", "stepsStale")},
           "serverAfterRestart": {k: s2["server"][k] for k in ("answered", "late", "refused", "batches")},
           "robots": robots}
(out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
print(json.dumps(summary, indent=2))
PY
