package io.farl.model.djl;

import io.farl.model.jvm.ConfigProperties;
import io.farl.model.jvm.JvmDecision;
import io.farl.model.jvm.JvmGaussianPolicy;
import io.farl.model.jvm.JvmWorldModel;
import io.farl.model.jvm.Kernels;
import io.farl.model.jvm.ModelDirectory;
import io.farl.model.jvm.ModelFormatException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.farl.model.api.CostRolloutConfig;
import io.farl.model.api.ParameterSet;
import io.farl.model.api.PolicyNetworkConfig;
import io.farl.model.api.RolloutActionSource;
import io.farl.model.api.WorldModelConfig;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@ExtendWith(NdLeakCheck.class)
class JvmEquivalenceTest {
    static final int OBS = 39;
    static final int ACT = 4;

    static float[] randomVector(Random rnd, int n, double scale, double offset) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (offset + scale * rnd.nextGaussian());
        }
        return v;
    }

    static float[] positive(Random rnd, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = 0.2f + rnd.nextFloat();
        }
        return v;
    }

    @Test
    void shouldUseTheVectorKernelsWhenTheModuleIsPresent() {
        // surefire runs with --add-modules jdk.incubator.vector (see the pom)
        assertTrue(Kernels.INSTANCE.name().startsWith("vector"), Kernels.INSTANCE.name());
    }

    /**
     * Both benchmark sizes (small: latent 64, hidden 256, H 5; large: latent 512, hidden 512, H 10), both rollout
     * action sources, the task and the recovery action as first action, alone and batched, on the vector and the
     * scalar kernels; the plain-JVM side reads only the model directories (one source of truth for the weights).
     */
    @ParameterizedTest(name = "latent {0}, hidden {1}, H {2}")
    @CsvSource({"32, 64, 5, 20", "64, 256, 5, 12", "512, 512, 10, 6"})
    void shouldMatchTheDjlModelsFromTheSameModelDirectories(int latent, int hidden, int horizon, int samples,
            @TempDir Path dir) {
        Random rnd = new Random(3);
        WorldModelConfig wc = WorldModelConfig.builder(OBS, ACT).sizes(latent, hidden).seed(5).build();
        PolicyNetworkConfig pc = PolicyNetworkConfig.defaults(OBS, ACT).withHidden(hidden, 2);
        double worst = 0;
        try (NDManager m = NDManager.newBaseManager();
                DjlWorldModel wm = DjlWorldModel.create(m, wc, randomVector(rnd, OBS, 0.3, 0.1), positive(rnd, OBS));
                GaussianPolicyModel task = GaussianPolicyModel.create(m, pc, randomVector(rnd, OBS, 0.3, 0),
                        positive(rnd, OBS), 8);
                GaussianPolicyModel rec = GaussianPolicyModel.create(m, pc, randomVector(rnd, OBS, 0.3, 0),
                        positive(rnd, OBS), 9)) {
            Path wmDir = wm.save(dir.resolve("wm"), Map.of());
            Path taskDir = task.save(dir.resolve("task"), Map.of());
            Path recDir = rec.save(dir.resolve("rec"), Map.of());
            ParameterSet taskW = ModelDirectory.read(taskDir, GaussianPolicyModel.KIND).weights();
            ParameterSet recW = ModelDirectory.read(recDir, GaussianPolicyModel.KIND).weights();
            ParameterSet wmW = ModelDirectory.read(wmDir, DjlWorldModel.KIND).weights();
            DjlPolicy dTask = new DjlPolicy(task, 1, 0);
            DjlPolicy dRec = new DjlPolicy(rec, 1, 0);
            for (Kernels kernels : new Kernels[] {Kernels.INSTANCE, Kernels.scalar()}) {
                JvmGaussianPolicy jTask = new JvmGaussianPolicy(pc, taskW, 1, 0, kernels);
                JvmGaussianPolicy jRec = new JvmGaussianPolicy(pc, recW, 1, 0, kernels);
                for (RolloutActionSource src : RolloutActionSource.values()) {
                    CostRolloutConfig rc = new CostRolloutConfig(horizon, 0.9, src);
                    JvmWorldModel jWm = new JvmWorldModel(wc, wmW, rc, jTask, kernels);
                    DjlFailureCostModel dWm = new DjlFailureCostModel(wm, rc, dTask);
                    JvmDecision batched = new JvmDecision(jTask, jRec, jWm, true);
                    JvmDecision single = new JvmDecision(jTask, jRec, jWm, false);
                    JvmDecision.Result out = new JvmDecision.Result(ACT);
                    JvmDecision.Result one = new JvmDecision.Result(ACT);
                    for (int k = 0; k < samples; k++) {
                        float[] obs = randomVector(rnd, OBS, 1.0, 0);
                        batched.decide(obs, out);
                        single.decide(obs, one);
                        float[] a = dTask.act(obs, true).action();
                        float[] r = dRec.act(obs, true).action();
                        for (int j = 0; j < ACT; j++) {
                            worst = Math.max(worst, Math.abs(a[j] - out.taskAction[j]));
                            worst = Math.max(worst, Math.abs(r[j] - out.recoveryAction[j]));
                        }
                        double[] d = new double[2];
                        dWm.costs(new float[][] {obs, obs}, new float[][] {a, r}, d);
                        worst = Math.max(worst, Math.abs(d[0] - out.taskCost));
                        worst = Math.max(worst, Math.abs(d[1] - out.recoveryCost));
                        worst = Math.max(worst, Math.abs(d[0] - one.taskCost));
                        worst = Math.max(worst, Math.abs(d[1] - jWm.cost(obs, r)));
                        assertTrue(Double.isNaN(one.recoveryCost));
                        assertEquals(dTask.logProb(obs, a), jTask.logProb(obs, a), 1e-3);
                    }
                }
            }
        }
        System.out.printf("latent %d hidden %d H %d: max abs difference DJL vs plain JVM: %.3g%n", latent, hidden,
                horizon, worst);
        assertEquals(0, worst, 1e-5);
    }

    /**
     * With the recovery policy followed, the recovery action's C_H (alone, and as the second row of a batched
     * decision) is the rollout in which the recovery policy acts on decoded observations, while the task row keeps
     * the calibrated prior; without it, both rows follow the prior.
     */
    @Test
    void shouldRollTheRecoveryActionOutWithTheRecoveryPolicy() {
        Random rnd = new Random(6);
        WorldModelConfig wc = WorldModelConfig.builder(OBS, ACT).sizes(32, 64).seed(7).build();
        PolicyNetworkConfig pc = PolicyNetworkConfig.defaults(OBS, ACT).withHidden(64, 2);
        try (NDManager m = NDManager.newBaseManager();
                DjlWorldModel wm = DjlWorldModel.create(m, wc, randomVector(rnd, OBS, 0.3, 0.1), positive(rnd, OBS));
                GaussianPolicyModel task = GaussianPolicyModel.create(m, pc, randomVector(rnd, OBS, 0.3, 0),
                        positive(rnd, OBS), 8);
                GaussianPolicyModel rec = GaussianPolicyModel.create(m, pc, randomVector(rnd, OBS, 0.3, 0),
                        positive(rnd, OBS), 9)) {
            JvmGaussianPolicy jTask = new JvmGaussianPolicy(pc, task.export(), 1, 0);
            JvmGaussianPolicy jRec = new JvmGaussianPolicy(pc, rec.export(), 1, 0);
            CostRolloutConfig prior = new CostRolloutConfig(3, 0.9, RolloutActionSource.POLICY_PRIOR);
            CostRolloutConfig decodedRec = new CostRolloutConfig(3, 0.9, RolloutActionSource.DECODED_TASK_POLICY);
            JvmWorldModel gate = new JvmWorldModel(wc, wm.export(), prior, jTask).followRecoveryPolicy(jRec);
            JvmWorldModel plain = new JvmWorldModel(wc, wm.export(), prior, jTask);
            JvmWorldModel recoveryDriven = new JvmWorldModel(wc, wm.export(), decodedRec, jRec);
            JvmDecision decision = new JvmDecision(jTask, jRec, gate, true);
            JvmDecision.Result out = new JvmDecision.Result(ACT);
            double largestGap = 0;
            for (int k = 0; k < 20; k++) {
                float[] obs = randomVector(rnd, OBS, 1.0, 0);
                decision.decide(obs, out);
                double expected = recoveryDriven.cost(obs, out.recoveryAction);
                assertEquals(expected, gate.recoveryCost(obs, out.recoveryAction), 1e-6);
                assertEquals(expected, out.recoveryCost, 1e-6);
                assertEquals(plain.cost(obs, out.taskAction), out.taskCost, 1e-6);
                assertEquals(plain.cost(obs, out.recoveryAction), plain.recoveryCost(obs, out.recoveryAction), 1e-9);
                largestGap = Math.max(largestGap, Math.abs(expected - plain.cost(obs, out.recoveryAction)));
            }
            // the two rollouts really differ: the test would not notice a recovery row that kept the prior
            assertTrue(largestGap > 1e-4, "recovery- and prior-driven rollouts coincide: " + largestGap);
        }
    }

    @Test
    void shouldRefuseToFollowTheRecoveryPolicyWithoutADecoder() {
        Random rnd = new Random(8);
        WorldModelConfig wc = WorldModelConfig.builder(OBS, ACT).sizes(32, 64).decoderEnabled(false).build();
        PolicyNetworkConfig pc = PolicyNetworkConfig.defaults(OBS, ACT).withHidden(64, 2);
        try (NDManager m = NDManager.newBaseManager();
                DjlWorldModel wm = DjlWorldModel.create(m, wc, new float[OBS], positive(rnd, OBS));
                GaussianPolicyModel rec = GaussianPolicyModel.create(m, pc, new float[OBS], positive(rnd, OBS), 3)) {
            JvmWorldModel jwm = new JvmWorldModel(wc, wm.export(), CostRolloutConfig.defaults(), null);
            JvmGaussianPolicy jRec = new JvmGaussianPolicy(pc, rec.export(), 1, 0);
            assertThrows(IllegalArgumentException.class, () -> jwm.followRecoveryPolicy(jRec));
        }
    }

    @Test
    void shouldNotAllocateInASteadyStateDecision() {
        Random rnd = new Random(4);
        WorldModelConfig wc = WorldModelConfig.builder(OBS, ACT).sizes(64, 256).decoderEnabled(false).build();
        PolicyNetworkConfig pc = PolicyNetworkConfig.defaults(OBS, ACT).withHidden(256, 2);
        try (NDManager m = NDManager.newBaseManager();
                DjlWorldModel wm = DjlWorldModel.create(m, wc, new float[OBS], positive(rnd, OBS));
                GaussianPolicyModel task = GaussianPolicyModel.create(m, pc, new float[OBS], positive(rnd, OBS), 2);
                GaussianPolicyModel rec = GaussianPolicyModel.create(m, pc, new float[OBS], positive(rnd, OBS), 3)) {
            CostRolloutConfig rc = new CostRolloutConfig(5, 0.9, RolloutActionSource.POLICY_PRIOR);
            JvmGaussianPolicy jt = new JvmGaussianPolicy(pc, task.export(), 1, 0);
            JvmGaussianPolicy jr = new JvmGaussianPolicy(pc, rec.export(), 1, 0);
            JvmWorldModel jwm = new JvmWorldModel(wc, wm.export(), rc, null);
            for (boolean both : new boolean[] {false, true}) {
                JvmDecision d = new JvmDecision(jt, jr, jwm, both);
                JvmDecision.Result out = new JvmDecision.Result(ACT);
                float[] obs = randomVector(rnd, OBS, 1, 0);
                long bytes = -1;
                // until C2 has compiled the kernels, vector objects are really allocated: allow warm-up rounds
                for (int round = 0; round < 40 && bytes != 0; round++) {
                    bytes = allocatedBytes(() -> {
                        for (int i = 0; i < 1000; i++) {
                            d.decide(obs, out);
                        }
                    });
                }
                System.out.printf("decision (recovery C_H %s, %s): %d bytes allocated in 1000 steady-state calls%n",
                        both, Kernels.INSTANCE.name(), bytes);
                assertEquals(0, bytes, "bytes allocated by 1000 decisions after warm-up");
            }
        }
    }

    static long allocatedBytes(Runnable r) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(id);
        r.run();
        return mx.getThreadAllocatedBytes(id) - before;
    }

    @Test
    void shouldRefuseAWorldModelWhoseConfigDisagreesWithItsWeights(@TempDir Path dir) {
        WorldModelConfig wc = WorldModelConfig.builder(OBS, ACT).sizes(32, 64).build();
        try (NDManager m = NDManager.newBaseManager();
                DjlWorldModel wm = DjlWorldModel.create(m, wc, new float[OBS], positive(new Random(1), OBS))) {
            java.util.Properties p = new java.util.Properties();
            ConfigProperties.put(p, "worldModel.", wc.toBuilder().sizes(32, 128).build());
            Path v = ModelDirectory.write(dir, DjlWorldModel.KIND, wm.export(), p, Map.of());
            ModelFormatException e = assertThrows(ModelFormatException.class,
                    () -> JvmWorldModel.load(v, CostRolloutConfig.defaults(), null));
            assertEquals(true, e.getMessage().contains(ModelDirectory.WEIGHTS), e.getMessage());
        }
    }
}
