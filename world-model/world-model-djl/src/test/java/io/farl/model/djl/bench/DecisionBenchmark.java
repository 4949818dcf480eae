package io.farl.model.djl.bench;

import io.farl.model.djl.DjlFailureCostModel;
import io.farl.model.djl.DjlPolicy;
import io.farl.model.jvm.JvmDecision;
import io.farl.model.jvm.JvmWorldModel;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.util.Statistics;

/**
 * Latency of the whole per-step decision for obs 39 / act 4: small = hidden 256, latent 64, H 5; large = hidden
 * 512, latent 512, H 10 (policy-prior rollouts, γ_risk 0.9). Paths:
 * <ul>
 *   <li>{@code jvm}: task mean action, C_H of it, recovery mean action (plain JVM, {@link JvmDecision})</li>
 *   <li>{@code jvmBoth}: the same plus C_H of the recovery action, both rollouts batched</li>
 *   <li>{@code djl}, {@code djlBoth}: the same on DJL/libtorch (2 intra-op threads); the two rollouts of
 *       {@code djlBoth} are one batch of 2</li>
 * </ul>
 * Goal: p99 ≤ 0.25× an eager PyTorch implementation of the same networks on the same machine, measured in the
 * same run by {@code scripts/bench/decision-bench.sh} (which runs this benchmark's {@code jvm} paths, then
 * {@code scripts/bench/eager_decision.py} on the weights {@link BenchExport} writes, and puts both and their ratios
 * in one {@code decision-bench.json}).
 *
 * <p>To run this class alone (no {@code install}: the reactor resolves the sibling modules' classes), from the
 * repository root:
 * <pre>{@code
 * ./mvnw -q -B -pl world-model/world-model-djl -am test-compile dependency:build-classpath \
 *        -Dmdep.includeScope=test -Dmdep.outputFile=target/test.classpath \
 *   && (cd world-model/world-model-djl && java -cp "target/test-classes:target/classes:$(cat target/test.classpath)" \
 *        io.farl.model.djl.bench.DecisionBenchmark [forks [iterations [seconds [regexp]]]])
 * }</pre>
 * Defaults: 2 forks, 3 warm-up and 5 measurement iterations of 2 s, SampleTime. It prints JMH's table and writes
 * p50/p90/p99/p99.9 per config and path, the load average and the kernels to
 * {@code target/decision-bench.json} (relative to the working directory; {@code -Dfarl.bench.out=<file>} elsewhere;
 * {@code -Dfarl.bench.sizes=small} for one size).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class DecisionBenchmark {
    @Param({"small", "large"})
    public String size;

    private BenchModels models;
    private DjlPolicy djlTask;
    private DjlPolicy djlRec;
    private DjlFailureCostModel djlCost;
    private JvmDecision jvm;
    private JvmDecision jvmBoth;
    private JvmDecision.Result result;
    private float[] obs;
    private final double[] costs = new double[2];

    @Setup(Level.Trial)
    public void setUp() {
        models = new BenchModels(size);
        djlTask = new DjlPolicy(models.task, 1, 0);
        djlRec = new DjlPolicy(models.recovery, 1, 0);
        djlCost = new DjlFailureCostModel(models.worldModel, models.rollout, null);
        // the JVM path reads the DJL models' exported weights: one source of truth
        jvm = models.jvmDecision(false);
        jvmBoth = models.jvmDecision(true);
        result = new JvmDecision.Result(BenchModels.ACT);
        if (!JvmWorldModel.kernelName().startsWith("vector")) {
            System.err.println("DecisionBenchmark: the JVM path runs on " + JvmWorldModel.kernelName()
                    + " kernels (no --add-modules jdk.incubator.vector)");
        }
        obs = BenchModels.observations(1, 1)[0];
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        models.close();
    }

    @Benchmark
    public double jvm() {
        jvm.decide(obs, result);
        return result.taskCost + result.recoveryAction[0];
    }

    @Benchmark
    public double jvmBoth() {
        jvmBoth.decide(obs, result);
        return result.taskCost + result.recoveryCost + result.recoveryAction[0];
    }

    @Benchmark
    public double djl() {
        float[] a = djlTask.act(obs, true).action();
        double c = djlCost.cost(obs, a);
        return c + djlRec.act(obs, true).action()[0];
    }

    @Benchmark
    public double djlBoth() {
        float[] a = djlTask.act(obs, true).action();
        float[] r = djlRec.act(obs, true).action();
        djlCost.costs(new float[][] {obs, obs}, new float[][] {a, r}, costs);
        return costs[0] + costs[1] + r[0];
    }

    public static void main(String[] args) throws Exception {
        int forks = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        String include = args.length > 3 ? args[3] : DecisionBenchmark.class.getName();
        String loadBefore = loadAverage();
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
        Collection<RunResult> results = new Runner(opt).run();
        Path out = Path.of(System.getProperty("farl.bench.out", "target/decision-bench.json"));
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, toJson(results, forks, iterations, seconds, loadBefore, loadAverage()));
        System.out.println("wrote " + out.toAbsolutePath());
    }

    static String toJson(Collection<RunResult> results, int forks, int iterations, int seconds, String loadBefore,
            String loadAfter) {
        List<String> rows = new ArrayList<>();
        for (RunResult r : results) {
            Statistics s = r.getPrimaryResult().getStatistics();
            String method = r.getParams().getBenchmark();
            method = method.substring(method.lastIndexOf('.') + 1);
            String benchmarkClass = r.getParams().getBenchmark().replaceAll("\\.[^.]*$", "");
            StringBuilder params = new StringBuilder();
            for (String key : r.getParams().getParamsKeys()) {
                if (!key.equals("size")) {
                    params.append(String.format(Locale.ROOT, ", \"%s\": \"%s\"", key, r.getParams().getParam(key)));
                }
            }
            rows.add(String.format(Locale.ROOT,
                    "    {\"benchmark\": \"%s\", \"config\": \"%s\", \"path\": \"%s\"%s, \"unit\": \"us\", "
                            + "\"samples\": %d, \"p50\": %.1f, \"p90\": %.1f, \"p99\": %.1f, \"p99.9\": %.1f, "
                            + "\"max\": %.1f}",
                    benchmarkClass.substring(benchmarkClass.lastIndexOf('.') + 1), r.getParams().getParam("size"),
                    method, params, s.getN(), s.getPercentile(50), s.getPercentile(90), s.getPercentile(99),
                    s.getPercentile(99.9), s.getMax()));
        }
        return String.format(Locale.ROOT, "{%n  \"runner\": \"DecisionBenchmark\",%n  \"mode\": \"SampleTime\",%n"
                        + "  \"forks\": %d, \"measurementIterations\": %d, \"iterationSeconds\": %d,%n"
                        + "  \"cpus\": %d, \"loadAverageBefore\": \"%s\", \"loadAverageAfter\": \"%s\",%n"
                        + "  \"forkJvmArgs\": \"-Dai.djl.offline=true --add-modules jdk.incubator.vector\",%n"
                        + "  \"results\": [%n%s%n  ]%n}%n",
                forks, iterations, seconds, Runtime.getRuntime().availableProcessors(), loadBefore, loadAfter,
                String.join(",\n", rows));
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
