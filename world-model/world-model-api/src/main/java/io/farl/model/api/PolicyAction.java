package io.farl.model.api;

/**
 * An action chosen by a {@link Policy}.
 *
 * @param action        normalised action in [-1, 1] per dimension; owned by the caller after return
 * @param logProb       log-density of {@code action} under the policy that produced it (nats); for a
 *                      deterministic act this is the density of the mean action
 * @param policyVersion version of the parameters that produced it
 */
public record PolicyAction(float[] action, double logProb, long policyVersion) {
    public PolicyAction {
        if (action == null) {
            throw new IllegalArgumentException("action must not be null");
        }
    }
}
