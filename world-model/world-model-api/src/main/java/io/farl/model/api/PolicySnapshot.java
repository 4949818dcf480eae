package io.farl.model.api;

/**
 * Immutable, versioned parameters of a task policy as published by a {@link Learner}. The acting side
 * drains snapshots to the newest and swaps them in between inferences.
 *
 * @param version        strictly increasing per learner
 * @param createdNanos   monotonic time of publication
 * @param parameters     policy weights and observation normalisation
 * @param networkConfig  shapes of the policy network the parameters belong to
 */
public record PolicySnapshot(long version, long createdNanos, ParameterSet parameters, PolicyNetworkConfig networkConfig) {
    public PolicySnapshot {
        if (version < 0) {
            throw new IllegalArgumentException("version must be >= 0: " + version);
        }
        if (parameters == null || networkConfig == null) {
            throw new IllegalArgumentException("parameters and network config must not be null");
        }
    }
}
