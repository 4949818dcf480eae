package io.farl.model.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import io.farl.model.api.CostRolloutConfig;
import io.farl.model.api.FailureCostModel;
import io.farl.model.api.Policy;
import io.farl.model.api.RolloutActionSource;

/**
 * C_H on the DJL world model: z_0 = h(s), a_0 = the proposed action; C_H = Σ_{i=0..H} γ_risk^i ĉ(z_i, a_i) with
 * z_{i+1} = d(z_i, a_i) and a_{i+1} either the prior's mean action tanh(μ_p(z_{i+1})) (default) or the task
 * policy's mean action on the decoded observation. Each call frees what it allocates. Not thread-safe: one
 * instance per thread (the model's parameters may be shared read-only).
 */
public final class DjlFailureCostModel implements FailureCostModel {
    private final DjlWorldModel model;
    private final CostRolloutConfig config;
    private final Policy taskPolicy;

    /**
     * @param taskPolicy required for {@link RolloutActionSource#DECODED_TASK_POLICY}, else may be null
     */
    public DjlFailureCostModel(DjlWorldModel model, CostRolloutConfig config, Policy taskPolicy) {
        this.model = model;
        this.config = config;
        this.taskPolicy = taskPolicy;
        if (config.actionSource() == RolloutActionSource.DECODED_TASK_POLICY) {
            if (taskPolicy == null) {
                throw new IllegalArgumentException("DECODED_TASK_POLICY rollouts need the task policy");
            }
            if (!model.hasDecoder()) {
                throw new IllegalArgumentException("DECODED_TASK_POLICY rollouts need a world model with a decoder");
            }
        }
    }

    @Override
    public double cost(float[] observation, float[] proposedAction) {
        double[] out = new double[1];
        costs(new float[][] {observation}, new float[][] {proposedAction}, out);
        return out[0];
    }

    @Override
    public void costs(float[][] observations, float[][] actions, double[] out) {
        int b = observations.length;
        if (out.length < b) {
            throw new IllegalArgumentException(b + " observations, " + out.length + " outputs");
        }
        float[][] terms = constraintTerms(observations, actions);
        for (int j = 0; j < b; j++) {
            double sum = 0;
            double g = 1;
            for (float[] term : terms) {
                sum += g * term[j];
                g *= config.gammaRisk();
            }
            out[j] = sum;
        }
    }

    /**
     * The undiscounted terms ĉ(z_i, a_i), i = 0..H, of each row's rollout: {@code [H + 1][batch]}. Every (H' ≤ H,
     * γ_risk) combination of C_H follows from one rollout, which calibration sweeps use.
     */
    public float[][] constraintTerms(float[][] observations, float[][] actions) {
        int b = observations.length;
        if (actions.length != b) {
            throw new IllegalArgumentException("batch sizes differ: " + b + " observations, " + actions.length
                    + " actions");
        }
        int obsN = model.config().observationSize();
        int actN = model.config().actionSize();
        float[] o = flatten(observations, obsN);
        float[] a = flatten(actions, actN);
        float[][] terms = new float[config.horizonSteps() + 1][];
        try (NDManager sm = model.parameters().manager().newSubManager(); NDScope scope = new NDScope()) {
            NDArray z = model.encode(model.normalise(sm.create(o, new Shape(b, obsN))));
            NDArray act = sm.create(a, new Shape(b, actN));
            for (int i = 0; i <= config.horizonSteps(); i++) {
                terms[i] = model.constraint(z, act).toFloatArray();
                if (i < config.horizonSteps()) {
                    z = model.next(z, act);
                    act = nextAction(sm, z, b, obsN, actN);
                }
            }
        }
        return terms;
    }

    private NDArray nextAction(NDManager sm, NDArray z, int b, int obsN, int actN) {
        if (config.actionSource() == RolloutActionSource.POLICY_PRIOR) {
            return model.priorAction(z);
        }
        float[] decoded = model.decode(z).toFloatArray();
        float[] mean = model.observationMean();
        float[] std = model.observationStd();
        float[] acts = new float[b * actN];
        float[] obs = new float[obsN];
        for (int j = 0; j < b; j++) {
            for (int k = 0; k < obsN; k++) {
                obs[k] = decoded[j * obsN + k] * std[k] + mean[k];
            }
            System.arraycopy(taskPolicy.act(obs, true).action(), 0, acts, j * actN, actN);
        }
        return sm.create(acts, new Shape(b, actN));
    }

    @Override
    public int horizonSteps() {
        return config.horizonSteps();
    }

    private static float[] flatten(float[][] rows, int width) {
        float[] f = new float[rows.length * width];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != width) {
                throw new IllegalArgumentException("row " + i + " has length " + rows[i].length + ", expected " + width);
            }
            System.arraycopy(rows[i], 0, f, i * width, width);
        }
        return f;
    }
}
