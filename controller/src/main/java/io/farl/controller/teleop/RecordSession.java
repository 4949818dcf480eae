package io.farl.controller.teleop;

import io.farl.controller.dataset.DatasetReader;
import io.farl.controller.dataset.DatasetWriter;
import io.farl.controller.dataset.Episode;
import io.farl.controller.dataset.EpisodeRecorder;
import io.farl.robot.api.RobotDescription;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A teleoperated recording: episode after episode, the operator drives, the episode ends (the robot's end, the
 * operator's "done" or the time limit), the operator keeps it with a label, discards it or records the same layout
 * again, and the next one starts. Only kept episodes reach the dataset, each forced to disk before the next starts,
 * so a crash loses at most the episode in progress; the same command resumes ({@link #nextSeed}).
 *
 * <p>The session's thread owns the dataset writer; {@link #markFailure} may be called from any thread.
 */
public final class RecordSession {

    /** Starts the robot's next episode once the ended one is decided. */
    @FunctionalInterface
    public interface Pacing {
        void startEpisode(long seed);
    }

    /**
     * @param task     task name for the headers
     * @param kind     what the episodes demonstrate (expert, failure, recovery)
     * @param source   who chose the actions (TELEOP, or SCRIPTED for the simulator's scripted operator)
     * @param actor    what drove the robot, for the headers
     * @param target   episodes to keep, counting those already in the file
     * @param periodNanos control period (a mark belongs to the step running when it was made)
     */
    public record Settings(String task, Episode.Kind kind, Episode.Source source, String actor, int target,
            long periodNanos) {
        public Settings {
            Objects.requireNonNull(task, "task");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(source, "source");
            if (target <= 0) {
                throw new IllegalArgumentException("target must be > 0, got " + target);
            }
        }
    }

    private final DatasetWriter writer;
    private final RobotDescription description;
    private final Settings settings;
    private final Supplier<List<Episode.Shape>> layout;
    private final Pacing pacing;
    private final BlockingQueue<EndedEpisode> ended;
    private final ConcurrentLinkedQueue<Long> marks = new ConcurrentLinkedQueue<>();
    private final RecordSummary.Counter counter = new RecordSummary.Counter();
    private long seed;

    /**
     * @param seed the seed of the episode the robot runs first (see {@link #nextSeed})
     */
    public RecordSession(DatasetWriter writer, RobotDescription description, Settings settings,
            Supplier<List<Episode.Shape>> layout, Pacing pacing, BlockingQueue<EndedEpisode> ended, long seed) {
        this.writer = Objects.requireNonNull(writer, "writer");
        this.description = Objects.requireNonNull(description, "description");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.layout = Objects.requireNonNull(layout, "layout");
        this.pacing = Objects.requireNonNull(pacing, "pacing");
        this.ended = Objects.requireNonNull(ended, "ended");
        this.seed = seed;
    }

    /**
     * The seed to record next into {@code file}: one past the last complete episode's seed, or {@code firstSeed} when
     * the file holds none (or does not exist yet). An episode lost in a crash is recorded again with its own layout.
     */
    public static long nextSeed(Path file, long firstSeed) throws IOException {
        if (!Files.exists(file)) {
            return firstSeed;
        }
        long next = firstSeed;
        try (DatasetReader r = DatasetReader.open(file)) {
            for (Episode e : r) {
                next = e.header().seed() + 1;
            }
        }
        return next;
    }

    /** The operator marks the IR-failure step: the step running now (any thread). */
    public void markFailure() {
        marks.add(System.nanoTime());
    }

    /** Episodes kept in the file, those recorded before this session included. */
    public long kept() {
        return writer.completeEpisodes();
    }

    /**
     * Decides and writes ended episodes until {@code target} are kept or {@code running} turns false (the runtime
     * stopped: e-stop, a latched supervisor, a signal). Asks {@code operator} about each ended episode.
     *
     * @return how the session ended: "episodes" or "stopped"
     */
    public String run(RecordingOperator operator, BooleanSupplier running) throws IOException {
        try {
            while (writer.completeEpisodes() < settings.target()) {
                EndedEpisode e = ended.poll(50, TimeUnit.MILLISECONDS);
                if (e == null) {
                    if (!running.getAsBoolean()) {
                        return "stopped";
                    }
                    continue;
                }
                if (e.truncated()) {
                    keepCutShort(e);
                    continue;
                }
                decide(e, operator);
                if (writer.completeEpisodes() < settings.target()) {
                    pacing.startEpisode(seed);
                }
            }
            return "episodes";
        } catch (InterruptedException stop) {
            // a signal is stopping the recording (the thread's interrupt is the request)
            return "stopped";
        }
    }

    /**
     * After the runtime stopped and the recorder closed: writes the episode that was in progress (handed over as
     * truncated) with label TIMEOUT, so nothing recorded is lost, unless the target was already kept (a robot over a
     * link starts its next episode by itself), and returns the session's figures.
     */
    public RecordSummary finish(String endedBy) throws IOException {
        EndedEpisode e;
        while ((e = ended.poll()) != null) {
            // once the target is kept, an episode a robot began on its own after the last one is not wanted
            if (writer.completeEpisodes() < settings.target()) {
                keepCutShort(e);
            }
        }
        return counter.summary(settings.target(), writer.completeEpisodes(), endedBy);
    }

    private void decide(EndedEpisode e, RecordingOperator operator) throws IOException, InterruptedException {
        int marked = markedStep(e);
        int failureStep = marked >= 0 ? marked : e.firstFailureStep();
        int human = (int) e.steps().stream().filter(s -> s.mode() == Episode.Mode.HUMAN).count();
        Episode.Label suggested = Episode.Label.judge(settings.kind(), e.success(), e.irFailure() || marked >= 0);
        EpisodeDecision d;
        try {
            d = operator.decide(new EpisodeReview((int) writer.completeEpisodes() + 1, settings.target(), seed,
                    e.steps().size(), human, e.success(), e.irFailure(), failureStep, suggested));
        } catch (InterruptedException stop) {
            // the recording stops while the operator decides: the whole episode is kept as the robot judged it
            write(e, suggested, suggested == Episode.Label.FAILURE ? marked : -1,
                    "recording stopped before the operator decided");
            seed++;
            throw stop;
        }
        switch (d.verdict()) {
            case KEEP -> {
                write(e, d.label(), d.label() == Episode.Label.FAILURE ? marked : -1, d.note());
                seed++;
            }
            case DISCARD -> {
                counter.discarded();
                seed++;
            }
            case RERECORD -> counter.rerecorded();
            default -> throw new IllegalStateException(d.verdict().name());
        }
    }

    private void keepCutShort(EndedEpisode e) throws IOException {
        write(e, Episode.Label.TIMEOUT, -1, "recording stopped during the episode");
        seed++;
    }

    /** The step a mark made during {@code e} points at (the last one begun before it), or -1; uses the marks up. */
    private int markedStep(EndedEpisode e) {
        int step = -1;
        long end = e.lastStampNanos() + settings.periodNanos();
        Long m;
        while ((m = marks.peek()) != null && m - end <= 0) {
            marks.poll();
            if (m - e.firstStampNanos() < 0) {
                continue;
            }
            for (Episode.Step s : e.steps()) {
                if (s.stampNanos() - m <= 0) {
                    step = s.index();
                }
            }
        }
        return step;
    }

    private void write(EndedEpisode e, Episode.Label label, int markedFailure, String note) throws IOException {
        EpisodeRecorder r = EpisodeRecorder.begin(writer, new Episode.Header(writer.nextEpisodeIndex(),
                settings.task(), seed, settings.source(), settings.kind(), description.observationSize(),
                description.actionSize(), description.controlPeriodNanos(), layout.get(), System.currentTimeMillis(),
                "", settings.actor(), description.observationLayout(), description.actionLayout()));
        List<Episode.Step> steps = new ArrayList<>(e.steps());
        if (markedFailure >= 0 && !steps.get(markedFailure).irFailure()) {
            steps.set(markedFailure, flaggedFailure(steps.get(markedFailure)));
        }
        for (Episode.Step s : steps) {
            r.step(s);
        }
        r.finish(label, note);
        counter.kept(label, steps);
    }

    private static Episode.Step flaggedFailure(Episode.Step s) {
        return new Episode.Step(s.index(), s.stampNanos(), s.observation(), s.proposedAction(), s.executedAction(),
                s.reward(), true, s.success(), s.mode(), s.failureCost(), s.interventions(), s.policyVersion(),
                s.logProb(), s.nextObservation(), s.terminated(), s.truncated());
    }
}
