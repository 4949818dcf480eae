package io.farl.model.jvm;

import io.farl.model.api.WorldModelConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * The networks of the latent world model and their parameter names, shared by the DJL model and the
 * plain-JVM forward pass so both read the same weights.
 *
 * <ul>
 *   <li>{@code norm.mean}, {@code norm.std}: observation normalisation (fixed after training)</li>
 *   <li>{@code enc.}: encoder h(s) → z, SimNorm latent</li>
 *   <li>{@code dyn.}: latent dynamics d(z, a) → z', SimNorm latent</li>
 *   <li>{@code rew.}: reward R(z, a)</li>
 *   <li>{@code q0.} ...: value ensemble Q_k(z, a)</li>
 *   <li>{@code pi.}: policy prior p(z) → (mean, raw log-std) of a tanh-Gaussian</li>
 *   <li>{@code con.}: constraint head, logit of ĉ(z, a)</li>
 *   <li>{@code dec.}: optional decoder z → normalised observation</li>
 * </ul>
 */
public final class WorldModelLayout {
    public static final int HIDDEN_LAYERS = 2;
    /**
     * Lower bound of the prior's log-std: the expert's actions are often saturated and multimodal, and a narrower
     * prior turns one off-mode action into a gradient of 1e19 through the layer norms.
     */
    public static final float PRIOR_MIN_LOG_STD = -2f;
    public static final float PRIOR_MAX_LOG_STD = 1f;

    private final WorldModelConfig config;
    private final MlpSpec encoder;
    private final MlpSpec dynamics;
    private final MlpSpec reward;
    private final List<MlpSpec> values = new ArrayList<>();
    private final MlpSpec prior;
    private final MlpSpec constraint;
    private final MlpSpec decoder;

    public WorldModelLayout(WorldModelConfig c) {
        this.config = c;
        int z = c.latentSize();
        int a = c.actionSize();
        int h = c.hiddenSize();
        encoder = new MlpSpec("enc.", c.observationSize(), h, HIDDEN_LAYERS, z, c.simNormGroupSize());
        dynamics = new MlpSpec("dyn.", z + a, h, HIDDEN_LAYERS, z, c.simNormGroupSize());
        reward = new MlpSpec("rew.", z + a, h, HIDDEN_LAYERS, 1, 0);
        for (int k = 0; k < c.valueEnsembleSize(); k++) {
            values.add(new MlpSpec("q" + k + ".", z + a, h, HIDDEN_LAYERS, 1, 0));
        }
        prior = new MlpSpec("pi.", z, h, HIDDEN_LAYERS, 2 * a, 0);
        constraint = new MlpSpec("con.", z + a, h, HIDDEN_LAYERS, 1, 0);
        decoder = c.decoderEnabled() ? new MlpSpec("dec.", z, h, HIDDEN_LAYERS, c.observationSize(), 0) : null;
    }

    public WorldModelConfig config() {
        return config;
    }

    public MlpSpec encoder() {
        return encoder;
    }

    public MlpSpec dynamics() {
        return dynamics;
    }

    public MlpSpec reward() {
        return reward;
    }

    /** The value ensemble's networks, Q_0 first. */
    public List<MlpSpec> values() {
        return List.copyOf(values);
    }

    public MlpSpec prior() {
        return prior;
    }

    public MlpSpec constraint() {
        return constraint;
    }

    /** The decoder, or null when the configuration has none. */
    public MlpSpec decoder() {
        return decoder;
    }

    /** Every network, in registration order. */
    public List<MlpSpec> all() {
        List<MlpSpec> l = new ArrayList<>(List.of(encoder, dynamics, reward));
        l.addAll(values);
        l.add(prior);
        l.add(constraint);
        if (decoder != null) {
            l.add(decoder);
        }
        return l;
    }

    /** Maps the raw log-std output of the prior into [min, max] (TD-MPC2's bounded log-std). */
    public static float boundLogStd(float raw) {
        return PRIOR_MIN_LOG_STD + 0.5f * (PRIOR_MAX_LOG_STD - PRIOR_MIN_LOG_STD) * ((float) Math.tanh(raw) + 1f);
    }
}
