package io.farl.model.jvm;

import io.farl.model.api.NamedArray;
import io.farl.model.api.ParameterSet;
import io.farl.model.api.PolicyNetworkConfig;
import io.farl.model.api.WorldModelConfig;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reading policy and world-model version directories without a native library: the configuration, the weights and a
 * check that the weights hold exactly the tensors the configuration needs (names and shapes), as the trainers
 * registered them. What a robot PC runs before it acts.
 */
public final class ModelFiles {
    private ModelFiles() {
    }

    /** A policy version directory as read: its files and its network configuration. */
    public record PolicyFiles(ModelDirectory.Loaded files, PolicyNetworkConfig config) {
        public ParameterSet weights() {
            return files.weights();
        }
    }

    /** A world-model version directory as read. */
    public record WorldModelFiles(ModelDirectory.Loaded files, WorldModelConfig config) {
        public ParameterSet weights() {
            return files.weights();
        }
    }

    /**
     * Reads a policy version directory (task or recovery policy).
     *
     * @throws ModelFormatException naming the file when it is not a policy, is damaged, or its tensors do not fit its
     *                              configuration
     */
    public static PolicyFiles readPolicy(Path versionDir) {
        ModelDirectory.Loaded l = ModelDirectory.read(versionDir, ModelDirectory.POLICY_KIND);
        PolicyNetworkConfig c = ModelDirectory.policyConfig(l.config(),
                versionDir.resolve(ModelDirectory.CONFIG).toString());
        check(versionDir.resolve(ModelDirectory.WEIGHTS), l.weights(), policyShapes(c));
        return new PolicyFiles(l, c);
    }

    /** Reads a world-model version directory; same checks as {@link #readPolicy}. */
    public static WorldModelFiles readWorldModel(Path versionDir) {
        ModelDirectory.Loaded l = ModelDirectory.read(versionDir, ModelDirectory.WORLD_MODEL_KIND);
        WorldModelConfig c = ModelDirectory.worldModelConfig(l.config(),
                versionDir.resolve(ModelDirectory.CONFIG).toString());
        check(versionDir.resolve(ModelDirectory.WEIGHTS), l.weights(), worldModelShapes(c));
        return new WorldModelFiles(l, c);
    }

    /** The tensors of a tanh-Gaussian policy: normalisation, actor, log-std, critic. */
    public static Map<String, int[]> policyShapes(PolicyNetworkConfig c) {
        Map<String, int[]> m = new LinkedHashMap<>();
        m.put("norm.mean", new int[] {c.observationSize()});
        m.put("norm.std", new int[] {c.observationSize()});
        MlpSpec.policyActor(c).shapes(m);
        m.put("log_std", new int[] {c.actionSize()});
        MlpSpec.policyCritic(c).shapes(m);
        return m;
    }

    /** The tensors of the latent world model: normalisation and every network of its layout. */
    public static Map<String, int[]> worldModelShapes(WorldModelConfig c) {
        Map<String, int[]> m = new LinkedHashMap<>();
        m.put("norm.mean", new int[] {c.observationSize()});
        m.put("norm.std", new int[] {c.observationSize()});
        for (MlpSpec s : new WorldModelLayout(c).all()) {
            s.shapes(m);
        }
        return m;
    }

    /** Checks that {@code weights} holds exactly the {@code expected} tensors, naming the file and tensor if not. */
    public static void check(Path file, ParameterSet weights, Map<String, int[]> expected) {
        for (Map.Entry<String, int[]> e : expected.entrySet()) {
            if (!weights.contains(e.getKey())) {
                throw new ModelFormatException(file + ": missing tensor '" + e.getKey() + "'");
            }
            NamedArray a = weights.get(e.getKey());
            if (!a.sameShape(e.getValue())) {
                throw new ModelFormatException(file + ": tensor '" + e.getKey() + "' has shape "
                        + Arrays.toString(a.shape()) + ", the config needs " + Arrays.toString(e.getValue()));
            }
        }
        for (String name : weights.names()) {
            if (!expected.containsKey(name)) {
                throw new ModelFormatException(file + ": unexpected tensor '" + name + "'");
            }
        }
    }
}
