package io.farl.pipeline.learn;

import io.farl.model.api.WorldModelConfig;
import java.util.List;
import java.util.Map;

/**
 * {@code reports/world-model.json} of {@code farl train world-model}.
 *
 * @param task    FailureBench task
 * @param model   the model version directory written
 * @param config  the configuration it was trained with
 * @param heldOut held-out metrics, throughput and data size
 * @param epochs  training losses per epoch
 */
public record WorldModelTrainingReport(String task, String model, WorldModelConfig config,
        Map<String, Double> heldOut, List<Map<String, Double>> epochs) {
}
