package io.farl.model.djl.bench;

import ai.djl.ndarray.NDManager;
import io.farl.model.api.CostRolloutConfig;
import io.farl.model.api.PolicyNetworkConfig;
import io.farl.model.api.RolloutActionSource;
import io.farl.model.api.WorldModelConfig;
import io.farl.model.djl.DjlFailureCostModel;
import io.farl.model.djl.DjlPolicy;
import io.farl.model.djl.DjlWorldModel;
import io.farl.model.djl.GaussianPolicyModel;
import io.farl.model.djl.JvmDecision;
import io.farl.model.djl.JvmGaussianPolicy;
import io.farl.model.djl.JvmWorldModel;
import java.util.Arrays;
import java.util.Random;
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
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Latency of the whole per-step decision (task mean action, C_H of it, recovery mean action) for obs 39 /
 * act 4: small = hidden 256, latent 64, H 5; large = hidden 512, latent 512, H 10. Run with
 * {@code java -cp <test classpath> io.farl.model.djl.bench.DecisionBenchmark [iterations seconds]}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class DecisionBenchmark {
    @Param({"small", "large"})
    public String size;

    private NDManager manager;
    private DjlWorldModel wm;
    private GaussianPolicyModel task;
    private GaussianPolicyModel rec;
    private DjlPolicy djlTask;
    private DjlPolicy djlRec;
    private DjlFailureCostModel djlCost;
    private JvmDecision jvm;
    private JvmDecision.Result result;
    private float[] obs;

    @Setup(Level.Trial)
    public void setUp() {
        boolean small = "small".equals(size);
        int hidden = small ? 256 : 512;
        int latent = small ? 64 : 512;
        int horizon = small ? 5 : 10;
        Random rnd = new Random(1);
        manager = NDManager.newBaseManager();
        WorldModelConfig wc = WorldModelConfig.builder(39, 4).sizes(latent, hidden).decoderEnabled(false).build();
        PolicyNetworkConfig pc = PolicyNetworkConfig.defaults(39, 4).withHidden(hidden, 2);
        float[] mean = new float[39];
        float[] std = new float[39];
        Arrays.fill(std, 1f);
        wm = DjlWorldModel.create(manager, wc, mean, std);
        task = GaussianPolicyModel.create(manager, pc, mean, std, 2);
        rec = GaussianPolicyModel.create(manager, pc, mean, std, 3);
        CostRolloutConfig rc = new CostRolloutConfig(horizon, 0.9, RolloutActionSource.POLICY_PRIOR);
        djlTask = new DjlPolicy(task, 1, 0);
        djlRec = new DjlPolicy(rec, 1, 0);
        djlCost = new DjlFailureCostModel(wm, rc, null);
        JvmGaussianPolicy jt = new JvmGaussianPolicy(pc, task.export(), 1, 0);
        JvmGaussianPolicy jr = new JvmGaussianPolicy(pc, rec.export(), 1, 0);
        jvm = new JvmDecision(jt, jr, new JvmWorldModel(wc, wm.export(), rc, null), false);
        result = new JvmDecision.Result(4);
        obs = new float[39];
        for (int i = 0; i < obs.length; i++) {
            obs[i] = (float) rnd.nextGaussian();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        wm.close();
        task.close();
        rec.close();
        manager.close();
    }

    @Benchmark
    public double jvm() {
        jvm.decide(obs, result);
        return result.taskCost + result.recoveryAction[0];
    }

    @Benchmark
    public double djl() {
        float[] a = djlTask.act(obs, true).action();
        double c = djlCost.cost(obs, a);
        return c + djlRec.act(obs, true).action()[0];
    }

    public static void main(String[] args) throws Exception {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        Options opt = new OptionsBuilder()
                .include(DecisionBenchmark.class.getName())
                .forks(1)
                .jvmArgsAppend("-Dai.djl.offline=true")
                .warmupIterations(3)
                .warmupTime(TimeValue.seconds(seconds))
                .measurementIterations(iterations)
                .measurementTime(TimeValue.seconds(seconds))
                .build();
        new Runner(opt).run();
    }
}
