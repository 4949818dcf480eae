#!/usr/bin/env bash
# The decision-latency comparison in one run on this machine: builds world-model-djl's test classes (no install:
# the reactor resolves the sibling modules), exports the benchmark's weights and reference decisions
# (BenchExport), runs the JMH `jvm` and `jvmBoth` paths of DecisionBenchmark, then the eager PyTorch reference
# (eager_decision.py: equivalence check first, then timing with 1 and 2 threads) back to back, and writes one
# decision-bench.json with both, the ratios jvm_p99/eager_p99 and jvm_p50/eager_p50, the machine and the load
# average before and after each part.
#
# Usage (from anywhere): scripts/bench/decision-bench.sh [output.json]
#   default output: world-model/world-model-djl/target/decision-bench/decision-bench.json
# Environment: FORKS (2), ITERATIONS (5), JMH_SECONDS (2) for JMH; DECISIONS (0 = eager default: 10000 small,
#   3000 large), WARMUP (500) for the eager script; SIZES ("small large"); SKIP_DEPS=1 skips install-bench-deps.sh;
#   SKIP_BUILD=1 reuses the last build; OPTIONS=1 also runs BatchDecisionBenchmark (n = 1, 4, 16) and
#   StorageBenchmark (float32/float16/int8 weights, one thread or split over two) and embeds their results.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
module="$root/world-model/world-model-djl"
run="$module/target/decision-bench"
out=${1:-$run/decision-bench.json}
FORKS=${FORKS:-2}
ITERATIONS=${ITERATIONS:-5}
SECONDS_PER_ITERATION=${JMH_SECONDS:-2}
DECISIONS=${DECISIONS:-0}
WARMUP=${WARMUP:-500}
SIZES=${SIZES:-small large}
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

if [ "${SKIP_DEPS:-0}" != 1 ]; then
  "$root/scripts/install-bench-deps.sh"
fi

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  echo "decision-bench: building world-model-djl test classes and classpath"
  (cd "$root" && ./mvnw -q -B -pl world-model/world-model-djl -am test-compile dependency:build-classpath \
      -Dmdep.includeScope=test -Dmdep.outputFile=target/test.classpath)
fi

# Run from a snapshot of the classes: a rebuild during the run must not change what the JMH forks load.
rm -rf "$run/classes" "$run/export"
mkdir -p "$run/classes"
cp -r "$module/target/test-classes" "$run/classes/djl-test"
cp -r "$module/target/classes" "$run/classes/djl"
cp_entries=("$run/classes/djl-test" "$run/classes/djl")
IFS=":" read -r -a deps < "$module/target/test.classpath" || true  # no trailing newline
n=0
for d in "${deps[@]}"; do
  if [ -d "$d" ]; then
    n=$((n + 1))
    cp -r "$d" "$run/classes/dep$n"
    cp_entries+=("$run/classes/dep$n")
  else
    cp_entries+=("$d")
  fi
done
classpath=$(IFS=':'; echo "${cp_entries[*]}")
java_opts=(-Dai.djl.offline=true --add-modules jdk.incubator.vector)

load_start=$(loadavg)
echo "decision-bench: load average $load_start; exporting weights and reference decisions"
# shellcheck disable=SC2086
java "${java_opts[@]}" -cp "$classpath" io.farl.model.djl.bench.BenchExport "$run/export" 16 $SIZES

load_jmh_before=$(loadavg)
echo "decision-bench: JMH jvm paths ($FORKS forks x $ITERATIONS x ${SECONDS_PER_ITERATION}s), load $load_jmh_before"
(cd "$module" && java "${java_opts[@]}" -Dfarl.bench.out="$run/jmh.json" -Dfarl.bench.sizes="${SIZES// /,}" \
    -cp "$classpath" \
    io.farl.model.djl.bench.DecisionBenchmark "$FORKS" "$ITERATIONS" "$SECONDS_PER_ITERATION" \
    'DecisionBenchmark\.jvm(Both)?$')
load_jmh_after=$(loadavg)

eager_files=()
for t in 1 2; do
  echo "decision-bench: eager PyTorch, $t thread(s), load $(loadavg)"
  # shellcheck disable=SC2086
  OMP_NUM_THREADS=$t OPENBLAS_NUM_THREADS=$t MKL_NUM_THREADS=$t /usr/bin/python3 "$root/scripts/bench/eager_decision.py" \
      --export "$run/export" --sizes $SIZES --threads "$t" --warmup "$WARMUP" --decisions "$DECISIONS" \
      --out "$run/eager-$t.json"
  eager_files+=("$run/eager-$t.json")
done

extra=()
if [ "${OPTIONS:-0}" = 1 ]; then
  # the workstation and large-model options: batched decisions, float16/int8 storage, the two-thread split
  echo "decision-bench: JMH BatchDecisionBenchmark, load $(loadavg)"
  (cd "$module" && java "${java_opts[@]}" -Dfarl.bench.out="$run/batch-bench.json" -Dfarl.bench.sizes="${SIZES// /,}" \
      -cp "$classpath" io.farl.model.djl.bench.BatchDecisionBenchmark 1 "$ITERATIONS" "$SECONDS_PER_ITERATION")
  echo "decision-bench: JMH StorageBenchmark, load $(loadavg)"
  (cd "$module" && java "${java_opts[@]}" -Dfarl.bench.out="$run/storage-bench.json" -Dfarl.bench.sizes="${SIZES// /,}" \
      -cp "$classpath" io.farl.model.djl.bench.DecisionBenchmark 1 "$ITERATIONS" "$SECONDS_PER_ITERATION" \
      'StorageBenchmark' | tee "$run/storage-bench.log")
  grep 'worker CPU' "$run/storage-bench.log" > "$run/split-worker-cpu.txt" || true
  extra=(--extra "batch=$run/batch-bench.json" "storage=$run/storage-bench.json" \
         "splitWorkerCpu=$run/split-worker-cpu.txt")
fi
load_end=$(loadavg)

/usr/bin/python3 "$root/scripts/bench/combine_decision_bench.py" --jmh "$run/jmh.json" --eager "${eager_files[@]}" \
    --load "start=$load_start" "jmhBefore=$load_jmh_before" "jmhAfter=$load_jmh_after" "end=$load_end" \
    "${extra[@]}" --out "$out"
