package io.farl.model.api;

import java.util.Map;

/** Receives training progress; called on the training thread, must return quickly. */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = (phase, epoch, metrics) -> { };

    /**
     * @param phase   what is being trained ("world-model", "bc", "value", "q", "policy-improvement"...)
     * @param epoch   epoch index from 0
     * @param metrics mean losses of the epoch and any held-out metrics
     */
    void onEpoch(String phase, int epoch, Map<String, Double> metrics);
}
