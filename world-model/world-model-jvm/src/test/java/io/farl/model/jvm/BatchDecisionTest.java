package io.farl.model.jvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.farl.model.api.CostRolloutConfig;
import io.farl.model.api.ParameterSet;
import io.farl.model.api.PolicyNetworkConfig;
import io.farl.model.api.RolloutActionSource;
import io.farl.model.api.WorldModelConfig;
import java.lang.management.ManagementFactory;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link JvmDecision#decideBatch} equals n single {@link JvmDecision#decide} calls, and allocates nothing. */
class BatchDecisionTest {
    private static final int OBS = 39;
    private static final int ACT = 4;
    private static final int[] BATCHES = {1, 2, 3, 4, 5, 7, 8, 16};

    /** The batched kernels against one row at a time, odd widths and column slices included. */
    @Test
    void shouldAccumulateABatchAsSingleRows() {
        Random rnd = new Random(1);
        for (Kernels k : new Kernels[] {Kernels.INSTANCE, Kernels.scalar()}) {
            for (int nOut : new int[] {1, 4, 37, 48, 64, 100}) {
                int nIn = 53;
                int stride = nOut + 7;
                float[] w = TestWeights.gaussian(rnd, nIn * stride + 3);
                for (int batch : BATCHES) {
                    float[] x = TestWeights.gaussian(rnd, batch * nIn);
                    for (int i = 0; i < x.length; i++) {
                        // ReLU-like sparsity, with some inputs zero in every row of a tile
                        if (x[i] < 0 || (i % nIn) % 5 == 0) {
                            x[i] = 0;
                        }
                    }
                    float[] init = TestWeights.gaussian(rnd, batch * nOut);
                    float[] batched = init.clone();
                    float[] single = init.clone();
                    k.accumulate(w, 3, stride, nIn, nOut, x, 0, nIn, batch, batched, 0, nOut, new int[nIn]);
                    for (int b = 0; b < batch; b++) {
                        k.accumulate(w, 3, stride, nIn, nOut, x, b * nIn, nIn, 1, single, b * nOut, nOut, new int[nIn]);
                    }
                    for (int j = 0; j < batched.length; j++) {
                        assertEquals(single[j], batched[j], 1e-4, k.name() + " nOut " + nOut + " batch " + batch);
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "latent {0}, hidden {1}, H {2}, decoder {3}")
    @CsvSource({"32, 64, 4, true", "64, 256, 5, false", "512, 512, 10, false"})
    void shouldDecideABatchAsSingleDecisions(int latent, int hidden, int horizon, boolean decoder) {
        WorldModelConfig wc = WorldModelConfig.builder(OBS, ACT).sizes(latent, hidden).decoderEnabled(decoder).build();
        PolicyNetworkConfig pc = PolicyNetworkConfig.defaults(OBS, ACT).withHidden(hidden, 2);
        ParameterSet taskW = TestWeights.random(ModelFiles.policyShapes(pc), 2);
        ParameterSet recW = TestWeights.random(ModelFiles.policyShapes(pc), 3);
        ParameterSet wmW = TestWeights.random(ModelFiles.worldModelShapes(wc), 4);
        Random rnd = new Random(5);
        float[][] obs = new float[16][];
        for (int o = 0; o < obs.length; o++) {
            obs[o] = TestWeights.gaussian(rnd, OBS);
        }
        double worst = 0;
        double spread = 0;
        for (Kernels kernels : new Kernels[] {Kernels.INSTANCE, Kernels.scalar()}) {
            JvmGaussianPolicy task = new JvmGaussianPolicy(pc, taskW, 1, 0, kernels);
            JvmGaussianPolicy rec = new JvmGaussianPolicy(pc, recW, 1, 0, kernels);
            for (RolloutActionSource src : decoder ? RolloutActionSource.values()
                    : new RolloutActionSource[] {RolloutActionSource.POLICY_PRIOR}) {
                CostRolloutConfig rc = new CostRolloutConfig(horizon, 0.9, src);
                JvmWorldModel wm = new JvmWorldModel(wc, wmW, rc, task, kernels);
                if (decoder) {
                    wm.followRecoveryPolicy(rec);
                }
                for (boolean both : new boolean[] {false, true}) {
                    JvmDecision d = new JvmDecision(task, rec, wm, both);
                    for (int n : BATCHES) {
                        JvmDecision.Result[] batch = results(n);
                        d.decideBatch(obs, n, batch);
                        JvmDecision.Result one = new JvmDecision.Result(ACT);
                        for (int o = 0; o < n; o++) {
                            d.decide(obs[o], one);
                            worst = Math.max(worst, maxDiff(one, batch[o], both));
                            spread = Math.max(spread, Math.abs(batch[o].taskCost - batch[0].taskCost));
                        }
                    }
                }
            }
        }
        System.out.printf("latent %d hidden %d H %d: max |decideBatch - decide| %.3g%n", latent, hidden, horizon, worst);
        assertTrue(worst <= 1e-5, "max abs difference " + worst);
        // the observations' decisions really differ: a batch that repeated one row would fail above
        assertTrue(spread > 1e-4, "C_H of all observations coincide: " + spread);
    }

    @Test
    void shouldNotAllocateInASteadyStateBatch() {
        WorldModelConfig wc = WorldModelConfig.builder(OBS, ACT).sizes(64, 256).decoderEnabled(false).build();
        PolicyNetworkConfig pc = PolicyNetworkConfig.defaults(OBS, ACT).withHidden(256, 2);
        JvmGaussianPolicy task = new JvmGaussianPolicy(pc, TestWeights.random(ModelFiles.policyShapes(pc), 2), 1, 0);
        JvmGaussianPolicy rec = new JvmGaussianPolicy(pc, TestWeights.random(ModelFiles.policyShapes(pc), 3), 1, 0);
        JvmWorldModel wm = new JvmWorldModel(wc, TestWeights.random(ModelFiles.worldModelShapes(wc), 4),
                new CostRolloutConfig(5, 0.9, RolloutActionSource.POLICY_PRIOR), null);
        Random rnd = new Random(6);
        float[][] obs = new float[16][];
        for (int o = 0; o < obs.length; o++) {
            obs[o] = TestWeights.gaussian(rnd, OBS);
        }
        for (boolean both : new boolean[] {false, true}) {
            JvmDecision d = new JvmDecision(task, rec, wm, both);
            JvmDecision.Result[] out = results(16);
            long bytes = -1;
            // until C2 has compiled the kernels, vector objects are really allocated: allow warm-up rounds
            for (int round = 0; round < 40 && bytes != 0; round++) {
                bytes = allocatedBytes(() -> {
                    for (int i = 0; i < 100; i++) {
                        d.decideBatch(obs, 16 - i % 3, out);
                    }
                });
            }
            assertEquals(0, bytes, "bytes allocated by 100 batches after warm-up (recovery C_H " + both + ")");
        }
    }

    private static JvmDecision.Result[] results(int n) {
        JvmDecision.Result[] r = new JvmDecision.Result[n];
        for (int i = 0; i < n; i++) {
            r[i] = new JvmDecision.Result(ACT);
        }
        return r;
    }

    private static double maxDiff(JvmDecision.Result a, JvmDecision.Result b, boolean both) {
        double d = Math.abs(a.taskCost - b.taskCost);
        if (both) {
            d = Math.max(d, Math.abs(a.recoveryCost - b.recoveryCost));
        } else if (!Double.isNaN(b.recoveryCost)) {
            return Double.POSITIVE_INFINITY;
        }
        for (int j = 0; j < ACT; j++) {
            d = Math.max(d, Math.abs(a.taskAction[j] - b.taskAction[j]));
            d = Math.max(d, Math.abs(a.recoveryAction[j] - b.recoveryAction[j]));
        }
        return d;
    }

    private static long allocatedBytes(Runnable r) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(id);
        r.run();
        return mx.getThreadAllocatedBytes(id) - before;
    }
}
