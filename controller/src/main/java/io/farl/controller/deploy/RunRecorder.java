package io.farl.controller.deploy;

import io.farl.controller.dataset.DatasetWriter;
import io.farl.controller.dataset.Episode;
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
 * Records what a deployment run did: every step the robot accepted, as the runtime's recorder thread drains it, cut
 * into episodes at the ends the robot reports ({@link #episodeEnded}) and handed to an {@link EpisodeSink} (by default
 * a {@link DirectEpisodeSink}: a dataset of kind ONLINE, source POLICY).
 *
 * <p><b>Episode ends</b> carry the controller's time of the report: an episode ends with the last step stamped at or
 * before it. In process the robot judges the step while it is written, so the cut is exact; over a link the end
 * arrives a little later, so an episode may carry a step or two written before the report arrived (recorded as
 * executed). Over a link the robot reports outcomes, not per-step rewards or failure flags: the reward comes from the
 * {@link StepReward} (0 without one), and the reported outcome sets the last step's flags and the episode's label. A
 * step is written when the next one arrives (its next observation); the last step of an episode repeats its own
 * observation as the next one.
 *
 * <p><b>Episode starts</b> ({@link #episodeStarted}) matter only to a recorder made with {@code startsGate}: after an
 * end it drops every step until a start stamped at or before the step, so what a robot does between two episodes (an
 * operator deciding, a scene being reset) is not recorded. Without the gate the next step after an end begins the next
 * episode.
 *
 * <p>Every assembled step also goes to the {@link StepListener} (online learning). The episode in progress when the
 * run ends is handed over as truncated, so nothing recorded is lost. One thread drains ({@code accept}), any thread
 * reports ends and starts; {@link #close} after the runtime stopped.
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

    /** An end (success/irFailure set) or a start reported by the robot side. */
    private record Event(long stampNanos, boolean start, boolean success, boolean irFailure) {
    }

    private record Pending(long stampNanos, double[] observation, double[] proposed, double[] executed,
            Episode.Mode mode, Proposal proposal, List<Episode.Intervention> interventions) {
    }

    private final EpisodeSink sink;
    private final StepReward reward;
    private final StepListener listener;
    private final boolean startsGate;
    private final ConcurrentLinkedQueue<Event> events = new ConcurrentLinkedQueue<>();
    private Pending pending;
    private int episodeSteps;
    private boolean betweenEpisodes;

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
        this(new DirectEpisodeSink(writer, description, task, firstSeed, actor), reward, listener, false);
    }

    /**
     * @param sink       where assembled episodes go
     * @param reward     the reward of each step from its observations and outcome
     * @param listener   told of every assembled step
     * @param startsGate drop the steps between an end and the next reported start
     */
    public RunRecorder(EpisodeSink sink, StepReward reward, StepListener listener, boolean startsGate) {
        if (sink == null || reward == null || listener == null) {
            throw new IllegalArgumentException("sink, reward and listener must be given");
        }
        this.sink = sink;
        this.reward = reward;
        this.listener = listener;
        this.startsGate = startsGate;
    }

    /** The robot reported the end of the running episode at controller time {@code stampNanos}; any thread. */
    public void episodeEnded(long stampNanos, boolean success, boolean irFailure) {
        events.add(new Event(stampNanos, false, success, irFailure));
    }

    /** The robot started a new episode at controller time {@code stampNanos}; any thread. */
    public void episodeStarted(long stampNanos) {
        events.add(new Event(stampNanos, true, false, false));
    }

    @Override
    public void accept(StepBuffer step) {
        try {
            Event e;
            while ((e = events.peek()) != null && e.stampNanos() - step.stampNanos() <= 0) {
                events.poll();
                apply(e);
            }
            if (step.writeStatus() != RobotStatus.OK || step.observation() == null
                    || (startsGate && betweenEpisodes)) {
                return;
            }
            if (pending != null) {
                write(pending, step.observation().values(), null);
            }
            pending = copy(step);
        } catch (RuntimeException ex) {
            LOG.error("step not recorded: {}", ex.toString());
        }
    }

    /** Episodes completely on disk. */
    public long episodesWritten() {
        return sink.episodesWritten();
    }

    public long stepsWritten() {
        return sink.stepsWritten();
    }

    /** Applies the events still queued, hands the episode in progress over as truncated, closes the sink. */
    @Override
    public void close() throws IOException {
        try {
            Event e;
            while ((e = events.poll()) != null) {
                apply(e);
            }
            if (pending != null) {
                writeLast(new Event(pending.stampNanos(), false, false, false), true);
            }
        } catch (RuntimeException ex) {
            LOG.error("episode in progress not recorded: {}", ex.toString());
        } finally {
            sink.close();
        }
    }

    private void apply(Event e) {
        if (e.start()) {
            betweenEpisodes = false;
            return;
        }
        betweenEpisodes = true;
        if (pending != null) {
            writeLast(e, false);
        }
    }

    private void writeLast(Event e, boolean truncated) {
        Pending p = pending;
        pending = null;
        write(p, p.observation(), e);
        episodeSteps = 0;
        sink.end(e.success(), e.irFailure(), truncated);
    }

    /** Writes {@code p}; {@code end} non-null makes it the episode's last step. */
    private void write(Pending p, double[] next, Event end) {
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
        sink.step(step);
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
        // what the source in charge asked for: the operator's command while a human drives, else the task proposal
        double[] proposed = s.mode() == Mode.HUMAN && s.fallback() != null ? s.fallback().action()
                : q == null ? new double[0] : q.taskAction();
        return new Pending(s.stampNanos(), s.observation().values().clone(), proposed, executed, mode(s.mode()), q,
                interventions);
    }

    private static Episode.Mode mode(Mode m) {
        return Episode.Mode.valueOf(m.name());
    }
}
