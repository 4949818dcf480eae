package io.farl.model.jvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.farl.model.api.CostRolloutConfig;
import io.farl.model.api.NamedArray;
import io.farl.model.api.ParameterSet;
import io.farl.model.api.PolicyNetworkConfig;
import io.farl.model.api.WorldModelConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model directories read and run with this module alone: its test class path holds no DJL and no libtorch, which is
 * what a robot PC without a native library has.
 */
class ModelFilesTest {
    private static final int OBS = 6;
    private static final int ACT = 2;

    private static ParameterSet random(Map<String, int[]> shapes, long seed) {
        Random rnd = new Random(seed);
        Map<String, NamedArray> m = new LinkedHashMap<>();
        shapes.forEach((name, shape) -> {
            int n = 1;
            for (int d : shape) {
                n *= d;
            }
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                v[i] = name.endsWith(".std") || name.endsWith(".g") ? 1f : (float) (0.2 * rnd.nextGaussian());
            }
            m.put(name, new NamedArray(shape, v));
        });
        return new ParameterSet(m);
    }

    private static Path writePolicy(Path root, PolicyNetworkConfig c, ParameterSet weights) {
        Properties p = new Properties();
        ConfigProperties.put(p, "policy.", c);
        return ModelDirectory.write(root, ModelDirectory.POLICY_KIND, weights, p, Map.of());
    }

    @Test
    void shouldReadAPolicyDirectoryAndActWithoutANativeLibrary(@TempDir Path dir) {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("ai.djl.ndarray.NDManager"),
                "this module's tests run without DJL");
        PolicyNetworkConfig c = PolicyNetworkConfig.defaults(OBS, ACT).withHidden(16, 2);
        Path version = writePolicy(dir.resolve("task-policy"), c, random(ModelFiles.policyShapes(c), 1));
        ModelFiles.PolicyFiles read = ModelFiles.readPolicy(version);
        assertEquals(c, read.config());
        JvmGaussianPolicy policy = new JvmGaussianPolicy(read.config(), read.weights(), 1, 0);
        float[] action = new float[ACT];
        policy.meanAction(new float[] {0.1f, -0.2f, 0.3f, 0f, 0.5f, -0.1f}, action);
        for (float a : action) {
            assertTrue(Float.isFinite(a) && Math.abs(a) < 1, "action " + a);
        }
    }

    @Test
    void shouldNameTheTensorThatDoesNotFitTheConfiguration(@TempDir Path dir) {
        PolicyNetworkConfig c = PolicyNetworkConfig.defaults(OBS, ACT).withHidden(16, 2);
        Map<String, int[]> shapes = ModelFiles.policyShapes(c);
        shapes.put("pi.l1.w", new int[] {16, 8});
        Path wrong = writePolicy(dir.resolve("wrong"), c, random(shapes, 2));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFiles.readPolicy(wrong));
        assertTrue(e.getMessage().contains("'pi.l1.w'") && e.getMessage().contains("weights.bin"), e.getMessage());
        Map<String, int[]> missing = ModelFiles.policyShapes(c);
        missing.remove("log_std");
        Path without = writePolicy(dir.resolve("missing"), c, random(missing, 3));
        e = assertThrows(ModelFormatException.class, () -> ModelFiles.readPolicy(without));
        assertTrue(e.getMessage().contains("missing tensor 'log_std'"), e.getMessage());
    }

    @Test
    void shouldRollTheWorldModelOutFromItsDirectory(@TempDir Path dir) {
        WorldModelConfig c = WorldModelConfig.builder(OBS, ACT).sizes(16, 32).build();
        Properties p = new Properties();
        ConfigProperties.put(p, "worldModel.", c);
        Path version = ModelDirectory.write(dir.resolve("world-model"), ModelDirectory.WORLD_MODEL_KIND,
                random(ModelFiles.worldModelShapes(c), 4), p, Map.of());
        CostRolloutConfig rollout = new CostRolloutConfig(3, 0.9, CostRolloutConfig.defaults().actionSource());
        JvmWorldModel wm = JvmWorldModel.load(version, rollout, null);
        double cost = wm.cost(new float[OBS], new float[ACT]);
        double bound = 1 + 0.9 + 0.81 + 0.729;
        assertTrue(cost >= 0 && cost <= bound, "C_H " + cost + " within [0, " + bound + "]");
        assertThrows(ModelFormatException.class, () -> ModelFiles.readPolicy(version),
                "a world-model directory is not a policy");
    }
}
