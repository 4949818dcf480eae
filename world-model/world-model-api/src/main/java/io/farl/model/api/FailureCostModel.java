package io.farl.model.api;

/**
 * Predicts the H-step discounted failure cost C_H(s, a) = sum_{i=0..H} gamma_risk^i * P(C(s_i, a_i) = 1) of
 * executing {@code proposedAction} in {@code observation} and following the task behaviour afterwards.
 * Values lie in [0, sum_i gamma_risk^i]. One instance per thread.
 */
public interface FailureCostModel {

    /** C_H of one observation/action pair. */
    double cost(float[] observation, float[] proposedAction);

    /**
     * C_H of the recovery policy's action: the gate's check that handing over is safe. Models that can roll the
     * recovery policy itself out after its first action do so; by default this is {@link #cost}.
     */
    default double recoveryCost(float[] observation, float[] recoveryAction) {
        return cost(observation, recoveryAction);
    }

    /**
     * C_H for a batch.
     *
     * @param observations row per sample
     * @param actions      row per sample, same count
     * @param out          receives one cost per sample; length at least the sample count
     */
    default void costs(float[][] observations, float[][] actions, double[] out) {
        // one cost() per sample; models that batch their rollouts override this
        for (int i = 0; i < observations.length; i++) {
            out[i] = cost(observations[i], actions[i]);
        }
    }

    /** {@link #recoveryCost} for a batch; by default one call per sample. */
    default void recoveryCosts(float[][] observations, float[][] recoveryActions, double[] out) {
        for (int i = 0; i < observations.length; i++) {
            out[i] = recoveryCost(observations[i], recoveryActions[i]);
        }
    }

    /** Rollout horizon H in steps (the sum has H + 1 terms). */
    int horizonSteps();
}
