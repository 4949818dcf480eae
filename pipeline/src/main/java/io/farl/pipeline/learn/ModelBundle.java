package io.farl.pipeline.learn;

import io.farl.pipeline.PipelineInputException;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Properties;

/**
 * The models of one task, as {@code farl train}, {@code farl calibrate} and {@code farl finetune} share them:
 *
 * <pre>
 * MODELS/world-model/vNNNNNN/       world model + constraint head (versioned, hashed model directories)
 * MODELS/task-policy/vNNNNNN/       π_task (behaviour cloning, then offline improvement as a later version)
 * MODELS/recovery-policy/vNNNNNN/   π_rec
 * MODELS/calibration.properties     ε_safe, H, γ_risk chosen by farl calibrate, with the world model's hash
 * MODELS/reports/                   loss curves, calibration tables (PNG, JSON)
 * </pre>
 *
 * Each model version is immutable; the calibration names the world-model version and content hash it was
 * computed for, so a retrained world model is never gated with a stale threshold.
 */
public record ModelBundle(Path root) {

    public static final String CALIBRATION = "calibration.properties";

    public Path worldModel() {
        return root.resolve("world-model");
    }

    public Path taskPolicy() {
        return root.resolve("task-policy");
    }

    public Path recoveryPolicy() {
        return root.resolve("recovery-policy");
    }

    /** Learned state rewards (TW-CRL), one version per training. */
    public Path rewardModel() {
        return root.resolve("reward-model");
    }

    public Path reports() {
        return root.resolve("reports");
    }

    public Path calibrationFile() {
        return root.resolve(CALIBRATION);
    }

    /** The newest version directory under {@code modelRoot}, or a bad-input error naming what is missing. */
    public static Path latestVersion(Path modelRoot, String what) {
        return io.farl.model.jvm.ModelDirectory.latest(modelRoot).orElseThrow(() -> new PipelineInputException(
                "no " + what + " under " + modelRoot + " (train it first: farl train ...)"));
    }

    /** The newest task policy, read and shape-checked without a native library; a damaged one is bad input. */
    public io.farl.model.jvm.ModelFiles.PolicyFiles newestTaskPolicy() {
        Path dir = latestVersion(taskPolicy(), "task policy");
        try {
            return io.farl.model.jvm.ModelFiles.readPolicy(dir);
        } catch (io.farl.model.jvm.ModelFormatException e) {
            throw new PipelineInputException(e.getMessage(), e);
        }
    }

    /** The stored calibration, if {@code farl calibrate} ran. */
    public Optional<Properties> calibration() {
        Path f = calibrationFile();
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException | IllegalArgumentException e) {
            throw new PipelineInputException("cannot read calibration " + f + ": " + e.getMessage(), e);
        }
        return Optional.of(p);
    }

    /** Writes the calibration next to the models: temporary file, then an atomic rename. */
    public void writeCalibration(Properties p, String comment) throws IOException {
        Files.createDirectories(root);
        Path tmp = Files.createTempFile(root, ".calibration-", ".tmp");
        try {
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                p.store(w, comment);
            }
            try {
                Files.move(tmp, calibrationFile(), StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("file system of " + root + " cannot rename atomically", e);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** A required numeric entry of the calibration, naming file and key when absent or malformed. */
    public double calibrationValue(Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null) {
            throw new PipelineInputException(calibrationFile() + ": missing '" + key + "'");
        }
        try {
            double d = Double.parseDouble(v.trim());
            if (!Double.isFinite(d)) {
                throw new NumberFormatException("not finite");
            }
            return d;
        } catch (NumberFormatException e) {
            throw new PipelineInputException(calibrationFile() + ": '" + key + "' is not a finite number: '" + v + "'");
        }
    }
}
