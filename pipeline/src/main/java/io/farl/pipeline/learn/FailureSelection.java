package io.farl.pipeline.learn;

import io.farl.controller.dataset.DatasetWriter;
import io.farl.controller.dataset.Episode;
import io.farl.model.api.ActConfig;
import io.farl.model.api.ParameterSet;
import io.farl.model.djl.ActPolicy;
import io.farl.model.djl.ActTrainer;
import io.farl.model.jvm.ConfigProperties;
import io.farl.model.jvm.ModelDirectory;
import io.farl.model.jvm.ModelFormatException;
import io.farl.pipeline.Json;
import io.farl.pipeline.PipelineInputException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * {@code farl select-failures}: scores every failed demonstration with the attention-discrepancy metric of a
 * failure-aware ACT trained on all of them ({@link ActTrainer#failureDiscrepancy}) and writes the lowest, middle and
 * highest thirds (and a random third, for comparison) as dataset files that {@code farl train act --failures selected
 * --failure-data} takes.
 */
public final class FailureSelection {
    /** The thirds, in the order they are written. */
    public static final List<String> THIRDS = List.of("low", "mid", "high", "random");

    /** One scored failure: where it came from, its score and its rank (0: lowest). */
    public record Scored(long seed, long index, int steps, double score, int rank) {
    }

    /**
     * @param references successful demonstrations each failure was compared with
     * @param failures   every failed demonstration, lowest score first
     * @param files      the third's name → its dataset file
     */
    public record Report(String task, String model, int references, List<Scored> failures,
            java.util.Map<String, String> files, long randomSeed) {
    }

    private FailureSelection() {
    }

    /**
     * @param model        an {@code act-policy} version directory, or a folder of them (the newest is used), trained
     *                     on all of {@code episodes}' attempts
     * @param maxReferences compare each failure with at most this many successful demonstrations
     */
    public static Report run(String task, Path model, List<Episode> episodes, Path out, int maxReferences, long seed,
            PrintWriter console) throws IOException {
        Path version = Files.isRegularFile(model.resolve(ModelDirectory.MANIFEST)) ? model
                : ModelDirectory.latest(Files.isDirectory(model.resolve("act-policy")) ? model.resolve("act-policy")
                        : model).orElseThrow(() -> new PipelineInputException("no failure-aware ACT under " + model
                                + " (train one: farl train act --failures all)"));
        ModelDirectory.Loaded loaded;
        ActConfig config;
        try {
            loaded = ModelDirectory.read(version, ActPolicy.KIND);
            config = ConfigProperties.get(loaded.config(), "act.", ActConfig.class, version.toString());
        } catch (ModelFormatException e) {
            throw new PipelineInputException(version + ": " + e.getMessage(), e);
        }
        ActTraining.Attempts attempts = ActTraining.attempts(episodes);
        int rows = Integer.parseInt(loaded.config().getProperty("act.rows", "-1"));
        int given = attempts.successes().size() + attempts.failures().size();
        if (rows != given) {
            throw new PipelineInputException(version + " was trained on " + rows + " demonstrations; the data gives "
                    + attempts.successes().size() + " successful and " + attempts.failures().size() + " failed ones ("
                    + given + "). Pass the data it was trained on with all its failures.");
        }
        if (attempts.failures().isEmpty()) {
            throw new PipelineInputException("the data holds no failed demonstration to score");
        }
        for (String t : THIRDS) {
            if (Files.exists(out.resolve(t + ".farl"))) {
                throw new PipelineInputException(out.resolve(t + ".farl") + " exists; choose another --out");
            }
        }
        ParameterSet weights = loaded.weights();
        double[] k = ActTrainer.failureDiscrepancy(ActTraining.demos(attempts.successes(), attempts.failures()),
                config, weights, maxReferences);
        int s = attempts.successes().size();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < attempts.failures().size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingDouble(i -> k[s + i]));
        List<Scored> scored = new ArrayList<>();
        for (int r = 0; r < order.size(); r++) {
            Episode e = attempts.failures().get(order.get(r));
            scored.add(new Scored(e.header().seed(), e.index(), e.length(), k[s + order.get(r)], r));
        }
        int f = order.size();
        java.util.Map<String, String> files = new java.util.LinkedHashMap<>();
        List<Integer> shuffled = new ArrayList<>(order);
        java.util.Collections.shuffle(shuffled, new Random(seed));
        for (String t : THIRDS) {
            List<Integer> pick = switch (t) {
                case "low" -> order.subList(0, f / 3);
                case "mid" -> order.subList(f / 3, 2 * f / 3);
                case "high" -> order.subList(2 * f / 3, f);
                default -> shuffled.subList(0, f / 3);
            };
            Path file = out.resolve(t + ".farl");
            try (DatasetWriter w = DatasetWriter.open(file)) {
                for (int i : pick) {
                    w.append(attempts.failures().get(i));
                }
            }
            files.put(t, file.toString());
        }
        int references = Math.min(maxReferences, s);
        Report report = new Report(task, version.toString(), references, scored, files, seed);
        Json.write(out.resolve("failure-scores.json"), report);
        console.printf(Locale.ROOT, "scored %d failed demonstrations against %d successful ones: lowest %.4g, median "
                        + "%.4g, highest %.4g; thirds of %d, %d and %d and a random %d written to %s%n", f, references,
                scored.get(0).score(), scored.get(f / 2).score(), scored.get(f - 1).score(), f / 3,
                2 * f / 3 - f / 3, f - 2 * f / 3, f / 3, out);
        return report;
    }
}
