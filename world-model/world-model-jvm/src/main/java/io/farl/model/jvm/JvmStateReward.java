package io.farl.model.jvm;

import io.farl.model.api.ParameterSet;
import io.farl.model.api.RewardModelConfig;
import io.farl.model.api.StateReward;
import java.nio.file.Path;
import java.util.Properties;

/**
 * A learned state reward r(s) as a plain-JVM forward pass: the observation, normalised with the training data's mean
 * and standard deviation ({@code norm.mean}, {@code norm.std}), through an {@link MlpSpec} with prefix
 * {@code "reward."} and one linear output. Read from a model directory of kind {@link ModelDirectory#REWARD_MODEL_KIND}.
 * Not thread-safe (scratch buffers): one instance per thread ({@link #copy}).
 */
public final class JvmStateReward implements StateReward {
    /** Parameter-name prefix of the network. */
    public static final String PREFIX = "reward.";

    private final MlpSpec spec;
    private final ParameterSet weights;
    private final float[] mean;
    private final float[] std;
    private final JvmMlp mlp;
    private final float[] x;
    private final Properties config;

    public JvmStateReward(MlpSpec spec, ParameterSet weights, Properties config) {
        if (!spec.prefix().equals(PREFIX) || spec.outputSize() != 1) {
            throw new ModelFormatException("a state reward network has prefix '" + PREFIX + "' and one output, got "
                    + spec);
        }
        this.spec = spec;
        this.weights = weights;
        int n = spec.inputSize();
        this.mean = weights.get("norm.mean", n).data().clone();
        this.std = weights.get("norm.std", n).data().clone();
        this.mlp = new JvmMlp(spec, weights);
        this.x = new float[n];
        this.config = config;
    }

    /** The network of a reward over {@code observationSize} inputs. */
    public static MlpSpec spec(int observationSize, int hidden, int hiddenLayers) {
        return new MlpSpec(PREFIX, observationSize, hidden, hiddenLayers, 1, 0);
    }

    /** Reads a reward-model version directory (hashes checked). */
    public static JvmStateReward read(Path versionDir) {
        ModelDirectory.Loaded l = ModelDirectory.read(versionDir, ModelDirectory.REWARD_MODEL_KIND);
        Properties c = l.config();
        RewardModelConfig rc = ConfigProperties.get(c, "", RewardModelConfig.class,
                versionDir.resolve(ModelDirectory.CONFIG).toString());
        return new JvmStateReward(spec(rc.observationSize(), rc.hiddenSize(), rc.hiddenLayers()), l.weights(), c);
    }

    /** A copy sharing the weights, with its own scratch buffers. */
    public JvmStateReward copy() {
        return new JvmStateReward(spec, weights, config);
    }

    /** The network's weights with the observation normalisation ({@code norm.mean}, {@code norm.std}). */
    public ParameterSet weights() {
        return weights;
    }

    /** The configuration stored with the model (method, time weighting, sizes). */
    public Properties config() {
        Properties p = new Properties();
        p.putAll(config);
        return p;
    }

    @Override
    public double reward(float[] observation) {
        if (observation.length != x.length) {
            throw new IllegalArgumentException("reward model reads " + x.length + " observation values, got "
                    + observation.length);
        }
        for (int k = 0; k < x.length; k++) {
            x[k] = (observation[k] - mean[k]) / std[k];
        }
        return mlp.forward(x)[0];
    }

    @Override
    public int observationSize() {
        return x.length;
    }
}
