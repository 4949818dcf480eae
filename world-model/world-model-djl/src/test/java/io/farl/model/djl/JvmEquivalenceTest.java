package io.farl.model.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import io.farl.model.api.CostRolloutConfig;
import io.farl.model.api.PolicyNetworkConfig;
import io.farl.model.api.RolloutActionSource;
import io.farl.model.api.WorldModelConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

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
    void shouldMatchTheDjlModelsFromTheSameModelDirectories(@TempDir Path dir) {
        Random rnd = new Random(3);
        WorldModelConfig wc = WorldModelConfig.builder(OBS, ACT).sizes(32, 64).seed(5).build();
        PolicyNetworkConfig pc = PolicyNetworkConfig.defaults(OBS, ACT).withHidden(64, 2);
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
            // the plain-JVM side reads only the directories: one source of truth for the weights
            JvmGaussianPolicy jTask = new JvmGaussianPolicy(pc,
                    ModelDirectory.read(taskDir, GaussianPolicyModel.KIND).weights(), 1, 0);
            JvmGaussianPolicy jRec = new JvmGaussianPolicy(pc,
                    ModelDirectory.read(recDir, GaussianPolicyModel.KIND).weights(), 1, 0);
            DjlPolicy dTask = new DjlPolicy(task, 1, 0);
            DjlPolicy dRec = new DjlPolicy(rec, 1, 0);
            for (RolloutActionSource src : RolloutActionSource.values()) {
                CostRolloutConfig rc = new CostRolloutConfig(5, 0.9, src);
                JvmWorldModel jWm = JvmWorldModel.load(wmDir, rc, jTask);
                DjlFailureCostModel dWm = new DjlFailureCostModel(wm, rc, dTask);
                JvmDecision decision = new JvmDecision(jTask, jRec, jWm, true);
                JvmDecision.Result out = new JvmDecision.Result(ACT);
                for (int k = 0; k < 50; k++) {
                    float[] obs = randomVector(rnd, OBS, 1.0, 0);
                    decision.decide(obs, out);
                    float[] a = dTask.act(obs, true).action();
                    float[] r = dRec.act(obs, true).action();
                    for (int j = 0; j < ACT; j++) {
                        worst = Math.max(worst, Math.abs(a[j] - out.taskAction[j]));
                        worst = Math.max(worst, Math.abs(r[j] - out.recoveryAction[j]));
                    }
                    worst = Math.max(worst, Math.abs(dWm.cost(obs, a) - out.taskCost));
                    worst = Math.max(worst, Math.abs(dWm.cost(obs, r) - out.recoveryCost));
                    assertEquals(dTask.logProb(obs, a), jTask.logProb(obs, a), 1e-3);
                }
            }
        }
        System.out.printf("max abs difference DJL vs plain JVM: %.3g%n", worst);
        assertEquals(0, worst, 1e-5);
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
