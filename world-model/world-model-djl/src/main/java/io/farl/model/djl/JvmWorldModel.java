package io.farl.model.djl;

import io.farl.model.api.CostRolloutConfig;
import io.farl.model.api.FailureCostModel;
import io.farl.model.api.ParameterSet;
import io.farl.model.api.RolloutActionSource;
import io.farl.model.api.WorldModelConfig;
import java.nio.file.Path;

/**
 * Plain-JVM C_H rollout over the weights of a {@link DjlWorldModel} (same names, same arithmetic): encoder,
 * dynamics, constraint head, policy prior and decoder. {@link #cost} allocates nothing. One instance per thread.
 */
public final class JvmWorldModel implements FailureCostModel {
    private final WorldModelConfig config;
    private final CostRolloutConfig rollout;
    private final JvmGaussianPolicy taskPolicy;
    private final float[] mean;
    private final float[] std;
    private final JvmMlp encoder;
    private final JvmMlp dynamics;
    private final JvmMlp constraint;
    private final JvmMlp prior;
    private final JvmMlp decoder;
    private final float[] x;
    private final float[] za;
    private final float[] act;
    private final float[] decoded;

    /**
     * @param taskPolicy required for {@link RolloutActionSource#DECODED_TASK_POLICY}, else may be null
     */
    public JvmWorldModel(WorldModelConfig config, ParameterSet p, CostRolloutConfig rollout,
            JvmGaussianPolicy taskPolicy) {
        this.config = config;
        this.rollout = rollout;
        this.taskPolicy = taskPolicy;
        WorldModelLayout layout = new WorldModelLayout(config);
        int n = config.observationSize();
        mean = p.get("norm.mean", n).data().clone();
        std = p.get("norm.std", n).data().clone();
        encoder = new JvmMlp(layout.encoder, p);
        dynamics = new JvmMlp(layout.dynamics, p);
        constraint = new JvmMlp(layout.constraint, p);
        prior = new JvmMlp(layout.prior, p);
        decoder = layout.decoder == null ? null : new JvmMlp(layout.decoder, p);
        if (rollout.actionSource() == RolloutActionSource.DECODED_TASK_POLICY && (decoder == null || taskPolicy == null)) {
            throw new IllegalArgumentException("DECODED_TASK_POLICY rollouts need a decoder and the task policy");
        }
        x = new float[n];
        za = new float[config.latentSize() + config.actionSize()];
        act = new float[config.actionSize()];
        decoded = new float[n];
    }

    /** Reads a world-model version directory (hash- and shape-checked). */
    public static JvmWorldModel load(Path versionDir, CostRolloutConfig rollout, JvmGaussianPolicy taskPolicy) {
        ModelDirectory.Loaded l = ModelDirectory.read(versionDir, DjlWorldModel.KIND);
        WorldModelConfig c = DjlWorldModel.readConfig(l.config(), versionDir.resolve(ModelDirectory.CONFIG).toString());
        try {
            return new JvmWorldModel(c, l.weights(), rollout, taskPolicy);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(versionDir.resolve(ModelDirectory.WEIGHTS) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public double cost(float[] observation, float[] proposedAction) {
        int zN = config.latentSize();
        int aN = config.actionSize();
        for (int i = 0; i < x.length; i++) {
            x[i] = (observation[i] - mean[i]) / std[i];
        }
        float[] z = encoder.forward(x);
        System.arraycopy(z, 0, za, 0, zN);
        System.arraycopy(proposedAction, 0, za, zN, aN);
        double sum = 0;
        double g = 1;
        for (int i = 0; i <= rollout.horizonSteps(); i++) {
            float logit = constraint.forward(za)[0];
            sum += g * (1.0 / (1.0 + Math.exp(-logit)));
            if (i < rollout.horizonSteps()) {
                z = dynamics.forward(za);
                System.arraycopy(z, 0, za, 0, zN);
                nextAction(z);
                System.arraycopy(act, 0, za, zN, aN);
            }
            g *= rollout.gammaRisk();
        }
        return sum;
    }

    private void nextAction(float[] z) {
        if (rollout.actionSource() == RolloutActionSource.POLICY_PRIOR) {
            float[] out = prior.forward(z);
            for (int j = 0; j < act.length; j++) {
                act[j] = (float) Math.tanh(out[j]);
            }
        } else {
            float[] d = decoder.forward(z);
            for (int k = 0; k < decoded.length; k++) {
                decoded[k] = d[k] * std[k] + mean[k];
            }
            taskPolicy.meanAction(decoded, act);
        }
    }

    @Override
    public void costs(float[][] observations, float[][] actions, double[] out) {
        for (int i = 0; i < observations.length; i++) {
            out[i] = cost(observations[i], actions[i]);
        }
    }

    @Override
    public int horizonSteps() {
        return rollout.horizonSteps();
    }
}
