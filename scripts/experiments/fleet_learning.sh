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
# the jar is copied to OUT so a rebuild during the run cannot break it.
set -euo pipefail
models=$(realpath "$1"); base=$(realpath -m "$2"); name=$3; robots=$4; updates=${5:-8}; batch=${6:-1024}
first_seed=${7:-1000}
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="$base/$name"
rm -rf "$out"; mkdir -p "$out"
cp "$root/launch/target/farl-launch.jar" "$out/farl.jar"
java_opts=(--add-modules jdk.incubator.vector -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1
  -Dai.djl.offline=true -Djava.awt.headless=true)
farl() { java "${java_opts[@]}" -jar "$out/farl.jar" "$@"; }

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
printf 'per_listener_settings false\npersistence false\nallow_anonymous true\nlistener %s 127.0.0.1\n' "$port" \
  > "$out/mosquitto.conf"
/usr/sbin/mosquitto -c "$out/mosquitto.conf" > "$out/mosquitto.log" 2>&1 &
pids=($!)
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
broker="tcp://127.0.0.1:$port"
await_log() { # file text seconds
  for _ in $(seq 1 $(( $3 * 10 ))); do grep -q -- "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  echo "timed out waiting for '$2' in $1" >&2; return 1
}

ids=(); for i in $(seq 1 "$robots"); do ids+=("$name-r$i"); done
list=$(IFS=,; echo "${ids[*]}")
start=$(date +%s)
farl serve --broker "$broker" --models "$models" --robots "$list" --learn --state "$out/state" --ppo-batch "$batch" \
  --checkpoint-updates 1 --report "$out/serve.json" > "$out/serve.log" 2>&1 &
serve_pid=$!; pids+=($serve_pid)
await_log "$out/serve.log" "serve ready" 180
run_pids=(); sim_pids=()
for i in $(seq 1 "$robots"); do
  id=${ids[$((i - 1))]}
  farl sim-robot --transport mqtt --task bounded-push --broker "$broker" --robot-id "$id" --command-timeout 300 \
    --report "$out/$id-bridge.json" > "$out/$id-sim.log" 2>&1 &
  sim_pids+=($!); pids+=($!)
done
for i in $(seq 1 "$robots"); do
  id=${ids[$((i - 1))]}
  await_log "$out/$id-sim.log" "sim-robot ready" 180
  farl run --robot mqtt --broker "$broker" --robot-id "$id" --models "$models" --task bounded-push \
    --episodes 1000000 --seed $(( first_seed * i )) --finetune --learner remote --out "$out/run-$id" \
    > "$out/run-$id.log" 2>&1 &
  run_pids+=($!); pids+=($!)
done
await_log "$out/serve.log" "fleet update $updates:" 7200
learn_end=$(date +%s)
for p in "${run_pids[@]}"; do kill -TERM "$p"; done
for p in "${run_pids[@]}"; do wait "$p" || true; done
for p in "${sim_pids[@]}"; do kill -TERM "$p"; done
for p in "${sim_pids[@]}"; do wait "$p" || true; done
kill -TERM "$serve_pid"; wait "$serve_pid" || true

ckpt=$(grep -l "^policyVersion=$updates\$" "$out"/state/checkpoints/ckpt-*/fleet.properties | head -1 | xargs dirname)
farl eval --models "$models" --task bounded-push --episodes 100 --seed 900000 --policy-checkpoint "$ckpt" \
  > "$out/eval.log" 2>&1
cp "$models/reports/eval.json" "$out/eval.json"
python3 "$root/scripts/experiments/fleet_summary.py" "$out" "$name" "$robots" "$updates" "$batch" \
  "$(( learn_end - start ))" "$(basename "$ckpt")"
