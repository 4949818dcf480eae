#!/usr/bin/env bash
# Learning across the link, measured: one `farl serve --learn` and N `farl sim-robot` processes, each driven by its
# own `farl run --finetune --learner remote`, all through one Debian mosquitto on a free loopback port. Runs until the
# learner has made UPDATES policy updates of BATCH steps each (so every setup trains on the same number of samples),
# then stops everything with SIGTERM, evaluates the policy of update UPDATES on 100 fixed layouts (seeds 900000…)
# and writes OUT/<name>/summary.json: per robot episodes, successes, IR failures and steps from run.json, the
# learner's counters, and the evaluation before (pretrained) and after.
#
# usage: scripts/experiments/fleet_learning.sh MODELS OUT NAME ROBOTS [UPDATES [BATCH [FIRST_SEED]]]
#   e.g. fleet of four:  scripts/experiments/fleet_learning.sh /work/fleet/models /work/fleet fleet4 4 8 1024
#        one robot:      scripts/experiments/fleet_learning.sh /work/fleet/models /work/fleet single 1 8 1024
# Needs mosquitto (scripts/install-system-deps.sh) and a built launch/target/farl-launch.jar (./farl --help builds it);
# the jar and its lib/ are copied to OUT/app so a rebuild during the run cannot break them.
set -euo pipefail
models=$(realpath "$1"); base=$(realpath -m "$2"); name=$3; robots=$4; updates=${5:-8}; batch=${6:-1024}
first_seed=${7:-1000}
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="$base/$name"
rm -rf "$out"; mkdir -p "$out"
source "$root/scripts/experiments/fleet_lib.sh"

ids=(); for i in $(seq 1 "$robots"); do ids+=("$name-r$i"); done
list=$(IFS=,; echo "${ids[*]}")
start=$(date +%s)
"${farl[@]}" serve --broker "$broker" --models "$models" --robots "$list" --learn --state "$out/state" --ppo-batch "$batch" \
  --checkpoint-updates 1 --report "$out/serve.json" > "$out/serve.log" 2>&1 &
serve_pid=$!; pids+=($serve_pid)
await_log "$out/serve.log" "serve ready" 180
start_sims "${ids[@]}"
for i in $(seq 1 "$robots"); do
  start_run "${ids[$((i - 1))]}" $(( first_seed * i )) --finetune --learner remote
done
await_log "$out/serve.log" "fleet update $updates:" 7200
learn_end=$(date +%s)
stop_runs_and_sims
kill -TERM "$serve_pid"; wait "$serve_pid" || true

ckpt=$(grep -l "^policyVersion=$updates\$" "$out"/state/checkpoints/ckpt-*/fleet.properties | head -1 | xargs dirname)
"${farl[@]}" eval --models "$models" --task bounded-push --episodes 100 --seed 900000 --policy-checkpoint "$ckpt" \
  > "$out/eval.log" 2>&1
cp "$models/reports/eval.json" "$out/eval.json"
python3 "$root/scripts/experiments/fleet_summary.py" "$out" "$name" "$robots" "$updates" "$batch" \
  "$(( learn_end - start ))" "$(basename "$ckpt")"
