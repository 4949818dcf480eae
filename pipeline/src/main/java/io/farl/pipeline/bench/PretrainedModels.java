package io.farl.pipeline.bench;

import io.farl.pipeline.Folders;
import io.farl.pipeline.PipelineInputException;
import io.farl.pipeline.learn.Pretraining;
import io.farl.pipeline.online.DjlThread;
import io.farl.pipeline.online.InitModels;
import io.farl.robot.sim.TaskId;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The pretrained models of one (task, seed) in a directory of their own, built by a {@link Pretrainer} (the command
 * line runs {@link Pretraining#run} in a child JVM) or reused: complete models built before with the same task, seed
 * and budget are used as they are; anything else
 * that this class built (a run killed half-way, another budget) is deleted and built afresh, so a re-run never
 * mixes the output of two pretraining runs (a policy-rollout file recorded by an older policy version, say).
 *
 * <p>Layout: {@code DIR/} holds the models ({@code task-policy/}, {@code recovery-policy/}, {@code world-model/},
 * {@code calibration.properties}), {@code DIR/data/} the datasets, {@code DIR/pretraining.log} the stages' output
 * and {@code DIR/pretraining.properties} what was built and whether it finished. A directory without that marker
 * but with loadable, calibrated models (built by hand with the same verbs) is reused as well; one without the
 * marker whose models do not load is not touched: that is bad input.
 */
public final class PretrainedModels {
    public static final String MARKER = "pretraining.properties";
    public static final String LOG = "pretraining.log";
    /** Marker key: seconds the pretraining took when it was built. */
    static final String BUILD_SECONDS = "buildSeconds";

    /** What {@link #ensure} did. */
    public enum Status {
        /** complete models of the same task, seed and budget were there */
        REUSED,
        /** models without a marker (built by hand) were there and load */
        REUSED_UNMARKED,
        /** built in an empty directory */
        BUILT,
        /** an earlier incomplete or different pretraining was deleted first */
        REBUILT
    }

    /**
     * Models ready for fine-tuning and how they came to be.
     *
     * @param seconds      what {@link #ensure} took this time
     * @param buildSeconds what building these models took, this time or when a reused pretraining was built (from
     *                     its marker); null when unknown (models built by hand, or a marker from before it was kept)
     */
    public record Ready(InitModels models, Status status, double seconds, Double buildSeconds) {
    }

    private PretrainedModels() {
    }

    /**
     * Makes sure {@code dir} holds complete pretrained models for {@code task}, {@code budget} and {@code seed}.
     *
     * @param pretrainer builds the models when they have to be built
     * @param note where one line per decision goes (may be shared between threads; lines are printed whole)
     * @throws RuntimeException what {@code pretrainer} throws when a stage fails (its output is in
     *                          {@code DIR/pretraining.log})
     */
    public static Ready ensure(TaskId task, Path dir, Pretraining.Budget budget, String budgetName, long seed,
            Pretrainer pretrainer, PrintWriter note) {
        long t0 = System.nanoTime();
        Properties wanted = marker(task, budget, budgetName, seed);
        Properties found = readMarker(dir);
        Status status;
        if (found != null) {
            boolean same = wanted.getProperty("key").equals(found.getProperty("key"));
            boolean complete = "complete".equals(found.getProperty("state"));
            if (same && complete) {
                InitModels m = tryLoad(dir);
                if (m != null) {
                    return new Ready(m, Status.REUSED, seconds(t0), recordedSeconds(found));
                }
            }
            say(note, "pretraining " + task.cliName() + " seed " + seed + ": " + dir + " holds "
                    + (same ? complete ? "models that no longer load" : "an unfinished pretraining"
                            : "a pretraining of " + found.getProperty("key"))
                    + "; starting it afresh");
            deleteRecursively(dir);
            status = Status.REBUILT;
        } else if (isEmptyOrAbsent(dir)) {
            status = Status.BUILT;
        } else {
            InitModels m = tryLoad(dir);
            if (m != null) {
                say(note, "pretraining " + task.cliName() + " seed " + seed + ": reusing the models in " + dir
                        + " (no " + MARKER + ": built by hand; budget unknown)");
                return new Ready(m, Status.REUSED_UNMARKED, seconds(t0), null);
            }
            throw new PipelineInputException(dir + " holds files but neither loadable models nor a " + MARKER
                    + " of an earlier pretraining; move them away or choose another output folder");
        }
        try {
            Files.createDirectories(dir);
            wanted.setProperty("state", "started");
            writeMarker(dir, wanted);
            pretrainer.pretrain(task, dir, budget, seed, dir.resolve(LOG));
            InitModels m = DjlThread.call(() -> InitModels.load(dir));
            double built = seconds(t0);
            wanted.setProperty("state", "complete");
            wanted.setProperty(BUILD_SECONDS, Double.toString(built));
            writeMarker(dir, wanted);
            return new Ready(m, status, built, built);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Double recordedSeconds(Properties marker) {
        try {
            double v = Double.parseDouble(marker.getProperty(BUILD_SECONDS, "NaN"));
            return Double.isFinite(v) && v >= 0 ? v : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Properties marker(TaskId task, Pretraining.Budget budget, String budgetName, long seed) {
        Properties p = new Properties();
        p.setProperty("key", "task " + task.cliName() + ", seed " + seed + ", budget " + budgetName + " " + budget
                + ", recipe " + Pretraining.recipe());
        p.setProperty("task", task.cliName());
        p.setProperty("seed", Long.toString(seed));
        p.setProperty("budget", budgetName);
        return p;
    }

    private static Properties readMarker(Path dir) {
        Path f = dir.resolve(MARKER);
        if (!Files.isRegularFile(f)) {
            return null;
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException | IllegalArgumentException e) {
            p.setProperty("key", "an unreadable marker");
        }
        if (p.getProperty("key") == null) {
            p.setProperty("key", "an unreadable marker");
        }
        return p;
    }

    private static void writeMarker(Path dir, Properties p) throws IOException {
        Path tmp = dir.resolve(MARKER + ".tmp");
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            p.store(w, "farl pretraining of this directory (state: started or complete)");
        }
        Files.move(tmp, dir.resolve(MARKER), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static InitModels tryLoad(Path dir) {
        try {
            return DjlThread.call(() -> InitModels.load(dir));
        } catch (RuntimeException e) {
            // PipelineInputException for missing or changed files, anything else for files that do not parse
            return null;
        }
    }

    private static boolean isEmptyOrAbsent(Path dir) {
        if (!Files.exists(dir)) {
            return true;
        }
        if (!Files.isDirectory(dir)) {
            throw new PipelineInputException(dir + " is a file, expected a folder for pretrained models");
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path p) {
        try {
            Folders.deleteTree(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void say(PrintWriter note, String line) {
        synchronized (note) {
            note.println(line);
            note.flush();
        }
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) * 1e-9;
    }
}
