package io.farl.model.djl;

import io.farl.model.jvm.JvmMlp;
import io.farl.model.jvm.MlpSpec;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.farl.model.api.FailureCostModel;
import io.farl.model.api.ParameterSet;
import io.farl.model.api.ProgressListener;
import io.farl.model.api.SupervisedConfig;
import io.farl.model.api.TrainingReport;
import io.farl.model.api.TransitionData;
import java.util.Random;

/**
 * Ablation (a), the paper's "simple critic": a model-free whole-episode safety critic Q_c(s, a) ≈ Σ_k γ_c^k C_{t+k}
 * (discounted future IR failure to the end of the episode, in [0, 1] because a failure ends the episode), in place
 * of the world model's H-step latent rollout. An {@link MlpSpec} (two hidden blocks) over the normalised observation
 * and the action, trained on DJL by weighted binary cross-entropy against {@link TransitionData#failureToGo} on the
 * same offline data as the world model; acting uses the exported weights in a plain-JVM forward pass, so the gate
 * runs no native code per step.
 *
 * <p>{@link #train} runs DJL on the calling thread (grad mode off, as on any DJL training thread) and frees its
 * native memory before it returns. A trained instance holds plain arrays; {@link #cost} uses per-instance scratch
 * buffers, so use one instance per thread ({@link #copy}).
 */
public final class SafetyCritic implements FailureCostModel {
    /** Samples per gradient step. */
    static final int BATCH = 64;
    /** Adam step size. */
    static final double LEARNING_RATE = 1e-3;
    /** Targets above this count as positives for the class weight. */
    static final float POSITIVE_TARGET = 0.05f;
    /** Cap of the positive class weight. */
    static final double MAX_POSITIVE_WEIGHT = 20;

    private final MlpSpec spec;
    private final ParameterSet weights;
    private final float[] mean;
    private final float[] std;
    private final JvmMlp mlp;
    private final float[] x;
    private final TrainingReport report;

    private SafetyCritic(MlpSpec spec, ParameterSet weights, float[] mean, float[] std, TrainingReport report) {
        this.spec = spec;
        this.weights = weights;
        this.mean = mean;
        this.std = std;
        this.report = report;
        this.mlp = new JvmMlp(spec, weights);
        this.x = new float[spec.inputSize()];
    }

    static MlpSpec spec(int observationSize, int actionSize, int hidden) {
        return new MlpSpec("critic.", observationSize + actionSize, hidden, 2, 1, 0);
    }

    /** A copy sharing the weights, with its own scratch buffers. */
    public SafetyCritic copy() {
        return new SafetyCritic(spec, weights, mean, std, report);
    }

    /** What training did: the loss per epoch, samples per second, wall time. */
    public TrainingReport report() {
        return report;
    }

    /**
     * Trains a critic on every transition of {@code d}: {@code epochs} shuffled passes in minibatches of
     * {@value #BATCH}, Adam at {@value #LEARNING_RATE}, positive targets weighted by the class ratio (capped at
     * {@value #MAX_POSITIVE_WEIGHT}) because failures are rare. Deterministic for a seed.
     *
     * @param hidden width of both hidden blocks
     * @param gamma  discount of the failure-to-go target
     */
    public static SafetyCritic train(TransitionData d, int hidden, int epochs, double gamma, long seed) {
        if (d.size() == 0) {
            throw new IllegalArgumentException("no transitions");
        }
        int obsN = d.observationSize();
        int actN = d.actionSize();
        float[] mean = Stats.mean(d.observations(), obsN);
        float[] std = Stats.std(d.observations(), obsN, mean);
        float[] inputs = inputs(d, mean, std);
        float[] y = d.failureToGo(gamma);
        float posWeight = (float) positiveWeight(y);
        MlpSpec spec = spec(obsN, actN, hidden);
        int in = spec.inputSize();
        try (NDManager manager = NDManager.newBaseManager(); NdParameters p = new NdParameters(manager)) {
            DjlMlp.register(spec, p, new Random(seed));
            Adam adam = new Adam(p.manager(), Double.POSITIVE_INFINITY).add(p.all(), 1.0);
            TrainingReport report = PolicyTrainer.minibatches("safety-critic", d.size(),
                    new SupervisedConfig(epochs, BATCH, LEARNING_RATE, seed), ProgressListener.NONE, (sm, idx) -> {
                        NDArray xb = sm.create(WorldModelTrainer.rows(inputs, idx, in), new Shape(idx.length, in));
                        float[] target = WorldModelTrainer.pick(y, idx);
                        float[] weight = new float[idx.length];
                        for (int j = 0; j < idx.length; j++) {
                            weight[j] = target[j] > POSITIVE_TARGET ? posWeight : 1f;
                        }
                        NDArray logit = DjlMlp.forward(spec, p, xb).reshape(-1);
                        // BCE with logits against a soft target: softplus(z) - y z
                        NDArray bce = Stats.softplus(logit).sub(logit.mul(sm.create(target)));
                        return new NDArray[] {bce.mul(sm.create(weight)).mean()};
                    }, new String[] {"weightedBce"}, adam, LEARNING_RATE);
            return new SafetyCritic(spec, p.export(), mean, std, report);
        }
    }

    /** Rows of normalised observation then action, as the network reads them. */
    private static float[] inputs(TransitionData d, float[] mean, float[] std) {
        int obsN = d.observationSize();
        int actN = d.actionSize();
        int in = obsN + actN;
        float[] obs = WorldModelTrainer.normalise(d.observations(), mean, std);
        float[] out = new float[d.size() * in];
        for (int i = 0; i < d.size(); i++) {
            System.arraycopy(obs, i * obsN, out, i * in, obsN);
            System.arraycopy(d.actions(), i * actN, out, i * in + obsN, actN);
        }
        return out;
    }

    private static double positiveWeight(float[] y) {
        double pos = 0;
        for (float v : y) {
            pos += v > POSITIVE_TARGET ? 1 : 0;
        }
        return pos == 0 ? 1 : Math.min(MAX_POSITIVE_WEIGHT, (y.length - pos) / pos);
    }

    @Override
    public double cost(float[] observation, float[] action) {
        int obsN = mean.length;
        for (int k = 0; k < obsN; k++) {
            x[k] = (observation[k] - mean[k]) / std[k];
        }
        System.arraycopy(action, 0, x, obsN, action.length);
        double logit = mlp.forward(x)[0];
        return 1.0 / (1.0 + Math.exp(-logit));
    }

    /** Whole-episode critic: no rollout horizon. */
    @Override
    public int horizonSteps() {
        return 0;
    }
}
