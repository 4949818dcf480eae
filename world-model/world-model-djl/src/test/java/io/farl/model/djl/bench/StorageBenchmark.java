package io.farl.model.djl.bench;

import io.farl.model.jvm.JvmDecision;
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

/**
 * The {@code jvm} decision of {@link DecisionBenchmark} with the world model's weights stored as float32, float16
 * or int8 ({@link WeightStorage}; float accumulation, policies float32). Run through {@link DecisionBenchmark}'s
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

    private JvmDecision decision;
    private JvmDecision.Result result;
    private float[] obs;

    @Setup(Level.Trial)
    public void setUp() {
        try (BenchModels m = new BenchModels(size)) {
            decision = m.jvmDecision(false, WeightStorage.valueOf(storage));
        }
        result = new JvmDecision.Result(BenchModels.ACT);
        obs = BenchModels.observations(1, 1)[0];
    }

    @Benchmark
    public double jvm() {
        decision.decide(obs, result);
        return result.taskCost + result.recoveryAction[0];
    }
}
