package io.farl.model.api;

import java.util.List;
import java.util.Map;

/**
 * What a training run did.
 *
 * @param epochMetrics        per epoch, the mean losses (and held-out metrics where computed)
 * @param heldOutMetrics      final held-out metrics
 * @param samplesPerSecond    training throughput in samples (transition windows) per second
 * @param wallNanos           training wall time
 */
public record TrainingReport(List<Map<String, Double>> epochMetrics, Map<String, Double> heldOutMetrics,
        double samplesPerSecond, long wallNanos) {
    public TrainingReport {
        epochMetrics = List.copyOf(epochMetrics);
        heldOutMetrics = Map.copyOf(heldOutMetrics);
    }

    public Map<String, Double> lastEpoch() {
        return epochMetrics.isEmpty() ? Map.of() : epochMetrics.get(epochMetrics.size() - 1);
    }
}
