package io.farl.model.jvm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.farl.model.api.CostRolloutConfig;
import io.farl.model.api.ParameterSet;
import io.farl.model.api.PolicyNetworkConfig;
import io.farl.model.api.RolloutActionSource;
import io.farl.model.api.WorldModelConfig;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Splitting the columns over two threads gives exactly the single-thread results, for every storage. */
class SplitKernelsTest {

    @Test
    void shouldAccumulateExactlyAsTheBaseKernels() {
        Random rnd = new Random(1);
        int nIn = 300;
        int cols = 520;
        float[] w = TestWeights.gaussian(rnd, nIn * cols);
        try (SplitKernels split = new SplitKernels(Kernels.INSTANCE, 1_000_000)) {
            for (int batch : new int[] {1, 2, 6}) {
                float[] x = TestWeights.gaussian(rnd, batch * nIn);
                float[] expected = new float[batch * 500];
                float[] actual = new float[batch * 500];
                Kernels.INSTANCE.accumulate(w, 5, cols, nIn, 500, x, 0, nIn, batch, expected, 0, 500, new int[nIn]);
                split.accumulate(w, 5, cols, nIn, 500, x, 0, nIn, batch, actual, 0, 500, new int[nIn]);
                assertArrayEquals(expected, actual, "batch " + batch);
            }
        }
    }

    @Test
    void shouldDecideExactlyAsOneThreadForEveryStorage() {
        WorldModelConfig wc = WorldModelConfig.builder(39, 4).sizes(512, 512).decoderEnabled(false).build();
        PolicyNetworkConfig pc = PolicyNetworkConfig.defaults(39, 4).withHidden(512, 2);
        ParameterSet taskW = TestWeights.random(ModelFiles.policyShapes(pc), 2);
        ParameterSet recW = TestWeights.random(ModelFiles.policyShapes(pc), 3);
        ParameterSet wmW = TestWeights.random(ModelFiles.worldModelShapes(wc), 4);
        CostRolloutConfig rc = new CostRolloutConfig(10, 0.9, RolloutActionSource.POLICY_PRIOR);
        Random rnd = new Random(7);
        // a short spin: the worker parks and is woken between products, which the test must survive too
        try (SplitKernels split = new SplitKernels(Kernels.INSTANCE, 1_000)) {
            for (WeightStorage storage : WeightStorage.values()) {
                JvmDecision one = decision(pc, taskW, recW, wc, wmW, rc, Kernels.INSTANCE, storage);
                JvmDecision two = decision(pc, taskW, recW, wc, wmW, rc, split, storage);
                JvmDecision.Result a = new JvmDecision.Result(4);
                JvmDecision.Result b = new JvmDecision.Result(4);
                for (int k = 0; k < 5; k++) {
                    float[] obs = TestWeights.gaussian(rnd, 39);
                    one.decide(obs, a);
                    two.decide(obs, b);
                    assertEquals(a.taskCost, b.taskCost, 0.0, storage.toString());
                    assertEquals(a.recoveryCost, b.recoveryCost, 0.0, storage.toString());
                    assertArrayEquals(a.taskAction, b.taskAction);
                    assertArrayEquals(a.recoveryAction, b.recoveryAction);
                }
            }
            assertTrue(split.workerCpuNanos() != 0, "the worker ran");
        }
    }

    @Test
    void shouldRefuseWorkAfterClose() {
        SplitKernels split = new SplitKernels(Kernels.INSTANCE, 1_000);
        split.close();
        float[] w = new float[512 * 512];
        assertThrows(IllegalStateException.class, () -> split.accumulate(w, 0, 512, 512, 512, new float[512], 0,
                512, 1, new float[512], 0, 512, new int[512]));
    }

    private static JvmDecision decision(PolicyNetworkConfig pc, ParameterSet taskW, ParameterSet recW,
            WorldModelConfig wc, ParameterSet wmW, CostRolloutConfig rc, Kernels k, WeightStorage storage) {
        JvmGaussianPolicy task = new JvmGaussianPolicy(pc, taskW, 1, 0, k);
        JvmGaussianPolicy rec = new JvmGaussianPolicy(pc, recW, 1, 0, k);
        return new JvmDecision(task, rec, new JvmWorldModel(wc, wmW, rc, null, k, storage), true);
    }
}
