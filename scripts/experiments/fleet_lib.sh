# Shared by fleet_learning.sh and fleet_outage.sh (sourced): a private mosquitto on a free loopback port, farl
# processes from a copy of the jar, log waits, and cleanup of everything started. Expects $out and $root set.
java_opts=(--add-modules jdk.incubator.vector -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1
  -Dai.djl.offline=true -Djava.awt.headless=true)
mkdir -p "$out/app"
cp "$root/launch/target/farl-launch.jar" "$out/app/farl.jar"
cp -r "$root/launch/target/lib" "$out/app/lib"
# a command array, not a function: "${farl[@]}" ... & makes $! the JVM's own PID, so SIGTERM reaches it
farl=(java "${java_opts[@]}" -jar "$out/app/farl.jar")

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

# start_sims ID...: one farl sim-robot per id, each reporting to $out/<id>-bridge.json; waits until all are ready
sim_pids=()
start_sims() {
  for id in "$@"; do
    "${farl[@]}" sim-robot --transport mqtt --task bounded-push --broker "$broker" --robot-id "$id" --command-timeout 300 \
      --report "$out/$id-bridge.json" > "$out/$id-sim.log" 2>&1 &
    sim_pids+=($!); pids+=($!)
  done
  for id in "$@"; do await_log "$out/$id-sim.log" "sim-robot ready" 180; done
}

# start_run ID SEED ARGS...: farl run for robot ID into $out/run-ID
run_pids=()
start_run() {
  local id=$1 seed=$2; shift 2
  "${farl[@]}" run --robot mqtt --broker "$broker" --robot-id "$id" --models "$models" --task bounded-push \
    --episodes 1000000 --seed "$seed" --out "$out/run-$id" "$@" > "$out/run-$id.log" 2>&1 &
  run_pids+=($!); pids+=($!)
  # one JVM's start-up (class loading, the first compilations) at a time on a small machine
  sleep "${FLEET_START_GAP:-3}"
}

# stop_all: the runs first (their reports), then the robots (theirs), with SIGTERM
stop_runs_and_sims() {
  for p in "${run_pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${run_pids[@]}"; do wait "$p" || true; done
  for p in "${sim_pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${sim_pids[@]}"; do wait "$p" || true; done
}
