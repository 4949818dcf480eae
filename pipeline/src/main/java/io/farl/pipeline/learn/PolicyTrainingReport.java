package io.farl.pipeline.learn;

import java.util.List;
import java.util.Map;

/**
 * {@code reports/task-policy.json} or {@code reports/recovery-policy.json} of {@code farl train policy}: the model
 * version each stage wrote and its metrics per epoch.
 *
 * @param task     FailureBench task
 * @param role     task or recovery
 * @param bc       behaviour cloning
 * @param improved offline improvement; null when it did not run
 */
public record PolicyTrainingReport(String task, String role, Stage bc, Stage improved) {

    /**
     * One training stage.
     *
     * @param model   the model version directory it wrote
     * @param epochs  metric name to value, per epoch
     * @param metrics the stage's final estimates; null for behaviour cloning
     */
    public record Stage(String model, List<Map<String, Double>> epochs, Map<String, Double> metrics) {
    }
}
