package io.farl.model.djl.bench;

import io.farl.model.jvm.JvmDecision;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.Statistics;

/**
 * Batched decisions for a workstation's inference server: {@link JvmDecision#decideBatch} of n observations (task
 * mean action, its C_H, recovery mean action; {@code both}: plus the recovery action's C_H) on the networks of
 * {@link BenchModels}. JMH times one batch; {@link #main} also writes the time per observation (batch time / n)
 * to {@code target/batch-bench.json} ({@code -Dfarl.bench.out=<file>} elsewhere).
 *
 * <p>Usage as {@link DecisionBenchmark}: {@code java -cp ... io.farl.model.djl.bench.BatchDecisionBenchmark
 * [forks [iterations [seconds [regexp]]]]}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class BatchDecisionBenchmark {
    @Param({"small", "large"})
    public String size;

    @Param({"1", "4", "16"})
    public int n;

    private JvmDecision single;
    private JvmDecision both;
    private JvmDecision.Result[] results;
    private float[][] obs;

    @Setup(Level.Trial)
    public void setUp() {
        try (BenchModels m = new BenchModels(size)) {
            single = m.jvmDecision(false);
            both = m.jvmDecision(true);
        }
        obs = BenchModels.observations(1, n);
        results = new JvmDecision.Result[n];
        for (int i = 0; i < n; i++) {
            results[i] = new JvmDecision.Result(BenchModels.ACT);
        }
    }

    @Benchmark
    public double batch() {
        single.decideBatch(obs, n, results);
        return results[n - 1].taskCost;
    }

    @Benchmark
    public double batchBoth() {
        both.decideBatch(obs, n, results);
        return results[n - 1].taskCost + results[n - 1].recoveryCost;
    }

    public static void main(String[] args) throws IOException, org.openjdk.jmh.runner.RunnerException {
        int forks = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        String include = args.length > 3 ? args[3] : BatchDecisionBenchmark.class.getName();
        String loadBefore = DecisionBenchmark.loadAverage();
        Options opt = new OptionsBuilder()
                .include(include)
                .forks(forks)
                .param("size", System.getProperty("farl.bench.sizes", "small,large").split(","))
                .jvmArgsAppend("-Dai.djl.offline=true", "--add-modules", "jdk.incubator.vector")
                .warmupIterations(3)
                .warmupTime(TimeValue.seconds(seconds))
                .measurementIterations(iterations)
                .measurementTime(TimeValue.seconds(seconds))
                .build();
        Collection<RunResult> runs = new Runner(opt).run();
        List<String> rows = new ArrayList<>();
        for (RunResult r : runs) {
            Statistics s = r.getPrimaryResult().getStatistics();
            String method = r.getParams().getBenchmark();
            method = method.substring(method.lastIndexOf('.') + 1);
            int batch = Integer.parseInt(r.getParams().getParam("n"));
            rows.add(String.format(Locale.ROOT,
                    "    {\"config\": \"%s\", \"path\": \"%s\", \"n\": %d, \"unit\": \"us\", \"samples\": %d, "
                            + "\"batch\": {\"p50\": %.1f, \"p90\": %.1f, \"p99\": %.1f, \"max\": %.1f}, "
                            + "\"perObservation\": {\"p50\": %.2f, \"p99\": %.2f}}",
                    r.getParams().getParam("size"), method, batch, s.getN(), s.getPercentile(50), s.getPercentile(90),
                    s.getPercentile(99), s.getMax(), s.getPercentile(50) / batch, s.getPercentile(99) / batch));
        }
        String json = String.format(Locale.ROOT, "{%n  \"benchmark\": \"BatchDecisionBenchmark\", \"mode\": \"SampleTime\","
                        + "%n  \"forks\": %d, \"measurementIterations\": %d, \"iterationSeconds\": %d, \"cpus\": %d,%n"
                        + "  \"loadAverageBefore\": \"%s\", \"loadAverageAfter\": \"%s\",%n  \"results\": [%n%s%n  ]%n}%n",
                forks, iterations, seconds, Runtime.getRuntime().availableProcessors(), loadBefore,
                DecisionBenchmark.loadAverage(), String.join(",\n", rows));
        Path out = Path.of(System.getProperty("farl.bench.out", "target/batch-bench.json"));
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, json);
        System.out.println("wrote " + out.toAbsolutePath());
    }
}
