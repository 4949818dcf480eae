package io.farl.model.api;

/**
 * Maps an observation to an action. Implementations are not thread-safe unless stated: one instance per
 * acting thread.
 */
public interface Policy {

    /**
     * Chooses an action.
     *
     * @param observation   raw (unnormalised) observation, length {@link #observationSize()}
     * @param deterministic true for the mean action (evaluation, safety-critical acting), false to sample
     * @return the action with its log-probability and the parameter version used
     */
    PolicyAction act(float[] observation, boolean deterministic);

    /** Log-density (nats) of {@code action} at {@code observation} under the current parameters. */
    double logProb(float[] observation, float[] action);

    int observationSize();

    int actionSize();

    /** Version of the parameters currently used; increases with every swapped-in snapshot. */
    long version();
}
