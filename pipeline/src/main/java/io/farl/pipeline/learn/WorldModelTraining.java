package io.farl.pipeline.learn;

import ai.djl.ndarray.NDManager;
import io.farl.model.api.TransitionData;
import io.farl.model.api.WorldModelConfig;
import io.farl.model.djl.DjlWorldModel;
import io.farl.model.djl.WorldModelTrainer;
import io.farl.pipeline.Json;
import io.farl.pipeline.PipelineInputException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Trains the latent world model with its constraint head on one task's transitions ({@code farl train world-model})
 * and stores it as a new model version with its held-out metrics, the loss curves in
 * {@code reports/world-model-losses.png} and {@code reports/world-model.json}.
 */
public final class WorldModelTraining {
    private WorldModelTraining() {
    }

    /** The network sizes and batch of a named world-model size: tiny, compact, small or large. */
    public static WorldModelConfig.Builder sized(WorldModelConfig.Builder b, String size) {
        return switch (size) {
            case "tiny" -> b.sizes(16, 32).batchSize(64);
            case "compact" -> b.sizes(64, 128).batchSize(128);
            case "small" -> b.sizes(64, 256);
            case "large" -> b.sizes(512, 512);
            default -> throw new PipelineInputException("world-model size must be tiny, compact, small or large, got '"
                    + size + "'");
        };
    }

    /** Trains, stores and reports; returns the model version directory. */
    public static Path run(String task, TransitionData train, WorldModelConfig config, ModelBundle bundle,
            StageProgress.Factory progress, PrintWriter out) throws IOException {
        Map<String, Double> metrics;
        Path dir;
        try (NDManager manager = NDManager.newBaseManager()) {
            WorldModelTrainer.Result r;
            try (StageProgress p = progress.start("world-model", config.epochs())) {
                r = WorldModelTrainer.train(manager, train, config, p);
            }
            try (DjlWorldModel model = r.model()) {
                metrics = new TreeMap<>(r.report().heldOutMetrics());
                metrics.put("samplesPerSecond", r.report().samplesPerSecond());
                metrics.put("wallSeconds", r.report().wallNanos() / 1e9);
                metrics.put("trainTransitions", (double) train.size());
                dir = model.save(bundle.worldModel(), metrics);
                Charts.epochCurves(bundle.reports().resolve("world-model-losses.png"), "world model losses, " + task,
                        r.report().epochMetrics(), List.of());
                Json.write(bundle.reports().resolve("world-model.json"), new WorldModelTrainingReport(task,
                        dir.toString(), config, metrics, r.report().epochMetrics()));
            }
        }
        StageProgress.summary(out, "held-out", metrics);
        out.println("model: " + dir);
        out.println("loss curves: " + bundle.reports().resolve("world-model-losses.png"));
        return dir;
    }
}
