package io.farl.model.api;

import java.util.Map;

/**
 * Outcome of one {@link Learner#update()} call.
 *
 * @param updated          whether parameters changed (false when not enough data was queued)
 * @param policyVersion    version after the call
 * @param samplesUsed      steps consumed by this update
 * @param samplesDropped   steps excluded from the policy loss (e.g. recovery actions the policy cannot explain)
 * @param queueDrops       steps dropped so far because the intake queue was full
 * @param metrics          losses and statistics of the update (policy loss, value loss, entropy, approx KL...)
 */
public record LearnerUpdate(boolean updated, long policyVersion, int samplesUsed, int samplesDropped, long queueDrops,
        Map<String, Double> metrics) {
    public LearnerUpdate {
        metrics = Map.copyOf(metrics);
    }
}
