package io.farl.model.djl.bench;

import io.farl.model.jvm.JvmDecision;
import io.farl.model.jvm.Kernels;
import io.farl.model.jvm.SplitKernels;
import io.farl.model.jvm.WeightStorage;
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

/**
 * The {@code jvm} decision of {@link DecisionBenchmark} with the world model's weights stored as float32, float16
 * or int8 ({@link WeightStorage}; float accumulation, policies float32), on one thread or split over two
 * ({@link SplitKernels}; the worker's CPU time per decision is printed at the end of each trial). Run through {@link DecisionBenchmark}'s
 * main with the regexp {@code StorageBenchmark} (its JSON then lists the storage as a parameter-less path name,
 * so prefer the JMH table, or {@code -rf json}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class StorageBenchmark {
    @Param({"small", "large"})
    public String size;

    @Param({"FLOAT32", "FLOAT16", "INT8"})
    public String storage;

    /** Split each large product's columns over the caller and a spinning worker thread ({@link SplitKernels}). */
    @Param({"false", "true"})
    public boolean split;

    private SplitKernels splitKernels;
    private long decisions;
    private JvmDecision decision;
    private JvmDecision.Result result;
    private float[] obs;

    @Setup(Level.Trial)
    public void setUp() {
        splitKernels = split ? new SplitKernels(Kernels.INSTANCE, 2_000_000) : null;
        try (BenchModels m = new BenchModels(size)) {
            decision = m.jvmDecision(false, WeightStorage.valueOf(storage),
                    split ? splitKernels : Kernels.INSTANCE);
        }
        result = new JvmDecision.Result(BenchModels.ACT);
        obs = BenchModels.observations(1, 1)[0];
    }

    /** Prints the worker's CPU time per decision: what the split costs the second core. */
    @TearDown(Level.Trial)
    public void tearDown() {
        if (splitKernels != null) {
            System.out.printf("%nStorageBenchmark %s %s split: worker CPU %.1f us per decision over %d decisions, "
                            + "%.1f second halves per decision taken back by the caller%n", size, storage,
                    splitKernels.workerCpuNanos() / 1e3 / decisions, decisions,
                    (double) splitKernels.stolenProducts() / decisions);
            splitKernels.close();
        }
    }

    @Benchmark
    public double jvm() {
        decisions++;
        decision.decide(obs, result);
        return result.taskCost + result.recoveryAction[0];
    }
}
