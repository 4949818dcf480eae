package io.farl.model.api;

/**
 * How actions after the first are chosen inside the latent C_H rollout (open point 1 of the method notes).
 */
public enum RolloutActionSource {
    /** Mean of the world model's latent policy prior p(z), trained to imitate task demonstrations (default). */
    POLICY_PRIOR,
    /** Decode z to an observation with the world model's decoder and ask the live task policy (mean action). */
    DECODED_TASK_POLICY
}
