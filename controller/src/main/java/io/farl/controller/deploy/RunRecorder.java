package io.farl.controller.deploy;

import io.farl.controller.dataset.DatasetWriter;
import io.farl.controller.dataset.Episode;
import io.farl.controller.dataset.EpisodeRecorder;
import io.farl.controller.loop.Proposal;
import io.farl.controller.loop.StepBuffer;
import io.farl.controller.runtime.StepConsumer;
import io.farl.robot.api.RobotDescription;
import io.farl.robot.api.RobotStatus;
import io.farl.safety.Limit;
import io.farl.safety.Mode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records what a deployment run did as a dataset (kind ONLINE, source POLICY): every step the robot accepted, as the
 * runtime's recorder thread drains it, cut into episodes at the ends the robot reports ({@link #episodeEnded}).
 *
 * <p><b>Episode ends</b> carry the controller's time of the report: an episode ends with the last step stamped at or
 * before it. In process the robot judges the step while it is written, so the cut is exact; over a link the end
 * arrives a little later, so an episode may carry a step or two written before the report arrived (recorded as
 * executed). Over a link the robot reports outcomes, not per-step rewards or failure flags: the reward comes from the
 * {@link StepReward} (0 without one), and the reported outcome sets the last step's flags and the episode's label. A
 * step is written when the next one arrives (its next observation); the last step of an episode repeats its own
 * observation as the next one.
 *
 * <p>Every assembled step also goes to the {@link StepListener} (online learning), whether or not the dataset is
 * still writable. The episode in progress when the run ends is written as truncated (label TIMEOUT), so nothing
 * recorded is lost. A write error is logged once and ends recording; the run itself goes on. One thread drains
 * ({@code accept}), any thread reports ends; {@link #close} after the runtime stopped.
 */
public final class RunRecorder implements StepConsumer, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunRecorder.class);

    /** Told of every assembled step, on the recorder's thread. */
    @FunctionalInterface
    public interface StepListener {
        /**
         * @param step         the step as recorded
         * @param proposal     the task policy's proposal for its observation, or null (a hold before any proposal)
         * @param nextObserved false when no later observation exists and {@code step.nextObservation()} repeats the
         *                     step's own (the last step of an episode, or of the run)
         */
        void recorded(Episode.Step step, Proposal proposal, boolean nextObserved);
    }

    private record End(long stampNanos, boolean success, boolean irFailure) {
    }

    private record Pending(long stampNanos, double[] observation, double[] proposed, double[] executed,
            Episode.Mode mode, Proposal proposal, List<Episode.Intervention> interventions) {
    }

    private final DatasetWriter writer;
    private final RobotDescription description;
    private final String task;
    private final long firstSeed;
    private final String actor;
    private final StepReward reward;
    private final StepListener listener;
    private final ConcurrentLinkedQueue<End> ends = new ConcurrentLinkedQueue<>();
    private EpisodeRecorder episode;
    private Pending pending;
    private int episodeSteps;
    private long episodesAssembled;
    private long episodesWritten;
    private long stepsWritten;
    private boolean broken;

    /**
     * @param writer      the open dataset (appended to after its last complete episode)
     * @param description the robot's description (observation and action layouts)
     * @param task        task name for the headers
     * @param firstSeed   layout seed of the run's first episode; episode k is recorded with {@code firstSeed + k}
     * @param actor       what drove the robot (models, gate threshold), for the headers
     */
    public RunRecorder(DatasetWriter writer, RobotDescription description, String task, long firstSeed,
            String actor) {
        this(writer, description, task, firstSeed, actor, StepReward.NONE, (step, proposal, nextObserved) -> { });
    }

    /**
     * @param reward   the reward of each step from its observations and outcome
     * @param listener told of every assembled step (the learner's intake)
     */
    public RunRecorder(DatasetWriter writer, RobotDescription description, String task, long firstSeed,
            String actor, StepReward reward, StepListener listener) {
        if (reward == null || listener == null) {
            throw new IllegalArgumentException("reward and listener must be given");
        }
        this.writer = writer;
        this.description = description;
        this.task = task;
        this.firstSeed = firstSeed;
        this.actor = actor;
        this.reward = reward;
        this.listener = listener;
    }

    /** The robot reported the end of the running episode at controller time {@code stampNanos}; any thread. */
    public void episodeEnded(long stampNanos, boolean success, boolean irFailure) {
        ends.add(new End(stampNanos, success, irFailure));
    }

    @Override
    public void accept(StepBuffer step) {
        try {
            End e;
            while ((e = ends.peek()) != null && e.stampNanos() - step.stampNanos() <= 0) {
                ends.poll();
                endEpisode(e);
            }
            if (step.writeStatus() != RobotStatus.OK || step.observation() == null) {
                return;
            }
            if (pending != null) {
                write(pending, step.observation().values(), null);
            }
            pending = copy(step);
        } catch (RuntimeException ex) {
            fail(ex);
        }
    }

    /** Episodes completely on disk. */
    public long episodesWritten() {
        return episodesWritten;
    }

    public long stepsWritten() {
        return stepsWritten;
    }

    /** Applies the ends still queued, writes the episode in progress as truncated, closes the dataset. */
    @Override
    public void close() throws IOException {
        try {
            End e;
            while ((e = ends.poll()) != null) {
                endEpisode(e);
            }
            if (pending != null) {
                writeLast(new End(pending.stampNanos(), false, false), true);
            }
        } catch (RuntimeException ex) {
            fail(ex);
        } finally {
            writer.close();
        }
    }

    private void endEpisode(End e) {
        if (pending != null) {
            writeLast(e, false);
        }
    }

    private void writeLast(End e, boolean truncated) {
        Pending p = pending;
        pending = null;
        write(p, p.observation(), e);
        episodeSteps = 0;
        episodesAssembled++;
        if (broken || episode == null) {
            episode = null;
            return;
        }
        Episode.Label label = truncated ? Episode.Label.TIMEOUT : e.irFailure() ? Episode.Label.FAILURE
                : e.success() ? Episode.Label.SUCCESS : Episode.Label.TIMEOUT;
        try {
            episode.finish(label, truncated ? "run ended during the episode" : "");
            episodesWritten++;
        } catch (IOException | RuntimeException ex) {
            fail(ex);
        }
        episode = null;
    }

    /** Writes {@code p}; {@code end} non-null makes it the episode's last step. */
    private void write(Pending p, double[] next, End end) {
        boolean last = end != null;
        boolean task = p.mode() == Episode.Mode.TASK && p.proposal() != null;
        boolean success = last && end.success() && !end.irFailure();
        Proposal q = p.proposal();
        Episode.Step step = new Episode.Step(episodeSteps++, p.stampNanos(), p.observation(), p.proposed(),
                p.executed(), reward.reward(p.observation(), next, success), last && end.irFailure(), success,
                p.mode(), q == null || !Double.isFinite(q.taskCost()) ? OptionalDouble.empty()
                        : OptionalDouble.of(q.taskCost()),
                p.interventions(), q == null ? 0 : q.policyVersion(),
                task && Double.isFinite(q.logProb()) ? OptionalDouble.of(q.logProb()) : OptionalDouble.empty(), next,
                last && (end.irFailure() || end.success()), last && !end.irFailure() && !end.success());
        try {
            listener.recorded(step, q, !last);
        } catch (RuntimeException ex) {
            LOG.warn("step listener failed: {}", ex.toString());
        }
        if (broken) {
            return;
        }
        try {
            if (episode == null) {
                long index = writer.nextEpisodeIndex();
                episode = EpisodeRecorder.begin(writer, new Episode.Header(index, this.task,
                        firstSeed + episodesAssembled, Episode.Source.POLICY, Episode.Kind.ONLINE,
                        description.observationSize(), description.actionSize(), description.controlPeriodNanos(),
                        List.of(), System.currentTimeMillis(), "", actor, description.observationLayout(),
                        description.actionLayout()));
            }
            episode.step(step);
            stepsWritten++;
        } catch (IOException | RuntimeException ex) {
            fail(ex);
        }
    }

    private static Pending copy(StepBuffer s) {
        double[] executed = new double[s.actionSize()];
        for (int i = 0; i < executed.length; i++) {
            executed[i] = s.executedAction(i);
        }
        Proposal q = s.proposal();
        List<Episode.Intervention> interventions = new ArrayList<>(s.interventionCount());
        for (int i = 0; i < s.interventionCount(); i++) {
            Limit limit = s.interventionLimit(i);
            int index = limit == Limit.HAND_POSITION ? -1 : s.interventionIndex(i); // an observation entry
            double applied = s.interventionApplied(i);
            interventions.add(new Episode.Intervention(limit.name(), index, s.interventionRequested(i),
                    Double.isFinite(applied) ? applied : 0.0));
        }
        return new Pending(s.stampNanos(), s.observation().values().clone(), q == null ? new double[0]
                : q.taskAction(), executed, mode(s.mode()), q, interventions);
    }

    private static Episode.Mode mode(Mode m) {
        return Episode.Mode.valueOf(m.name());
    }

    private void fail(Exception ex) {
        if (!broken) {
            LOG.error("recording stopped after {} episodes: {}", episodesWritten, ex.toString());
        }
        broken = true;
    }
}
