package io.farl.model.jvm;

import io.farl.model.api.DiscriminatorConfig;
import io.farl.model.api.ParameterSet;

/**
 * An adversarial-imitation discriminator as a plain-JVM forward pass: the logit z of D(s, a) = σ(z), the probability
 * that a state–action pair came from the policy rather than the expert ({@link DiscriminatorConfig}). Input: the
 * observation normalised with the expert data's {@code norm.mean} and {@code norm.std}, then the action as it is.
 * Network: an {@link MlpSpec} with prefix {@code "disc."} and one linear output. Not thread-safe (scratch buffers).
 */
public final class JvmDiscriminator {
    /** Parameter-name prefix of the network. */
    public static final String PREFIX = "disc.";

    private final MlpSpec spec;
    private final int observationSize;
    private final float[] mean;
    private final float[] std;
    private final JvmMlp mlp;
    private final float[] x;
    private final double maxReward;

    public JvmDiscriminator(DiscriminatorConfig c, ParameterSet weights) {
        this.spec = spec(c);
        this.observationSize = c.observationSize();
        this.mean = weights.get("norm.mean", observationSize).data().clone();
        this.std = weights.get("norm.std", observationSize).data().clone();
        this.mlp = new JvmMlp(spec, weights);
        this.x = new float[spec.inputSize()];
        this.maxReward = c.maxReward();
    }

    /** The network of {@code c}'s discriminator. */
    public static MlpSpec spec(DiscriminatorConfig c) {
        return new MlpSpec(PREFIX, c.inputSize(), c.hiddenSize(), c.hiddenLayers(), 1, 0);
    }

    /** The logit of D(s, a). */
    public double logit(float[] observation, float[] action) {
        if (observation.length != observationSize || action.length != x.length - observationSize) {
            throw new IllegalArgumentException("the discriminator reads " + observationSize + " observation and "
                    + (x.length - observationSize) + " action values, got " + observation.length + " and "
                    + action.length);
        }
        for (int k = 0; k < observationSize; k++) {
            x[k] = (observation[k] - mean[k]) / std[k];
        }
        System.arraycopy(action, 0, x, observationSize, action.length);
        return mlp.forward(x)[0];
    }

    /** GAIL's reward −log D(s, a) = softplus(−z), capped at the config's {@code maxReward}. */
    public double reward(float[] observation, float[] action) {
        return rewardOfLogit(logit(observation, action), maxReward);
    }

    /** −log σ(z), computed without overflow, capped at {@code cap}. */
    public static double rewardOfLogit(double z, double cap) {
        double r = Math.max(-z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
        return Math.min(r, cap);
    }
}
