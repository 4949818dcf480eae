package io.farl.controller.session;

import io.farl.controller.loop.ControlLoop;
import io.farl.controller.loop.ManualLoopClock;
import io.farl.controller.loop.Proposal;
import io.farl.controller.loop.StepQueue;
import io.farl.controller.loop.StepRecord;
import io.farl.model.api.Learner;
import io.farl.model.api.LearnerUpdate;
import io.farl.model.api.PolicySnapshot;
import io.farl.robot.api.EpisodicRobot;
import io.farl.robot.api.LifecycleState;
import io.farl.robot.api.Observation;
import io.farl.robot.api.RobotStatus;
import io.farl.robot.api.TaskSignals;
import io.farl.safety.Mode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Online fine-tuning in simulation: drives an {@link EpisodicRobot} through the real {@link ControlLoop} (gate,
 * supervisor, envelope, write) on a simulated clock, episode after episode, and hands every executed step to the
 * {@link Learner}.
 *
 * <p><b>Time and threads.</b> Everything runs on the calling thread. The clock is a {@link ManualLoopClock} that
 * advances one control period per step, so the session runs as fast as the CPU allows; the robot's {@code write}
 * advances its physics by one period. Proposals are computed synchronously for each fresh observation inside the
 * loop's read ({@link LockstepProposalRobot}); on a real robot the policy thread does this instead.
 *
 * <p><b>Episodes.</b> Episode {@code i} resets the robot with {@link SessionConfig#episodeSeed} and builds the acting
 * task policy from the newest learner snapshot with the noise seed {@link SessionConfig#noiseSeed}. It runs until
 * the robot's {@link TaskSignals} report success, an IR failure (which ends the episode: open point 6) or truncation,
 * or until the session's own step limit. Learner updates run between episodes; a new snapshot acts from the next
 * episode on. A whole run is deterministic for its seeds, and a resumed run repeats the uninterrupted one provided
 * the learner's {@link Checkpointable} state is complete.
 *
 * <p><b>What the learner sees.</b> For each executed step: the observation, the action actually written (after
 * gate and envelope), the task policy's proposal for that observation with its log-probability and version, the
 * realised reward and next observation, and {@code recoveryActed} whenever the task action was not what executed
 * (recovery, hold). Which of the two actions PPO trains on is the learner's choice (RecoveryStorage). A terminated
 * final step is always offered (with its own observation as next observation when no later reading exists: it is
 * not bootstrapped from); a truncated step without a next observation is dropped and counted in
 * {@link EpisodeStats#droppedTransitions()}, as is every executed step the learner does not receive.
 *
 * <p><b>Checkpoints.</b> Every K updates (and/or every M episodes), between episodes: session counters, the
 * per-episode statistics and the learner state, atomically ({@link CheckpointStore}). A kill -9 loses at most what
 * happened since the last checkpoint; with K = 1 that is at most the last update.
 */
public final class FinetuneSession {
    private static final Logger LOG = LoggerFactory.getLogger(FinetuneSession.class);
    static final String SESSION_FILE = "session.properties";
    static final String EPISODES_FILE = "episodes.csv";
    static final String LEARNER_DIR = "learner";
    private static final int MAX_UPDATES_BETWEEN_EPISODES = 64;
    private static final long CLOCK_START_NANOS = 1_000_000_000L;

    private final SessionConfig config;
    private final LockstepProposalRobot robot;
    private final ModelProposalSource source;
    private final Learner learner;
    private final Checkpointable learnerState;
    private final TaskPolicyFactory policies;
    private final CheckpointStore checkpoints;
    private final ControlLoop loop;
    private final StepQueue stepRecords;
    private final ManualLoopClock clock = new ManualLoopClock(CLOCK_START_NANOS);
    private final long periodNanos;
    private final List<EpisodeStats> episodes = new ArrayList<>();
    private SessionTotals totals = SessionTotals.ZERO;
    private PolicySnapshot snapshot;
    private long updates;
    private long updatesAtCheckpoint;
    private int episodesAtCheckpoint;
    private long operatorResets;
    private long learnerRejects;

    /**
     * @param robot        a simulated robot (UNCONFIGURED, INACTIVE or ACTIVE); the session configures and activates
     *                     it, the caller closes it
     * @param source       proposal source of the same method as {@code config}
     * @param learnerState the learner's checkpoint state, or null when checkpoints hold session counters only
     * @param checkpoints  where checkpoints go, or null for none
     */
    public FinetuneSession(SessionConfig config, EpisodicRobot robot, ModelProposalSource source, Learner learner,
            Checkpointable learnerState, TaskPolicyFactory policies, CheckpointStore checkpoints) {
        if (config == null || robot == null || source == null || learner == null || policies == null) {
            throw new IllegalArgumentException("config, robot, proposal source, learner and policies must be given");
        }
        if (source.method() != config.method()) {
            throw new IllegalArgumentException("proposal source is for " + source.method() + ", session for "
                    + config.method());
        }
        this.config = config;
        this.source = source;
        this.learner = learner;
        this.learnerState = learnerState;
        this.policies = policies;
        this.checkpoints = checkpoints;
        this.robot = new LockstepProposalRobot(robot, source);
        this.stepRecords = new StepQueue("session", 4, StepQueue.DropPolicy.DROP_OLDEST);
        this.loop = new ControlLoop(this.robot, config.loop(), List.of(stepRecords));
        this.robot.attach(loop.proposals());
        this.periodNanos = robot.description().controlPeriodNanos();
        if (robot.state() == LifecycleState.UNCONFIGURED) {
            robot.configure();
        }
        if (robot.state() == LifecycleState.INACTIVE) {
            robot.activate();
        }
    }

    /**
     * Continue from the newest checkpoint, if there is one.
     *
     * @return true when a checkpoint was restored
     * @throws IllegalArgumentException when the checkpoint belongs to a session of another method or seed
     */
    public boolean resume() throws IOException {
        if (checkpoints == null) {
            return false;
        }
        Optional<Path> latest = checkpoints.latest();
        if (latest.isEmpty()) {
            return false;
        }
        Path dir = latest.get();
        Properties p = CheckpointStore.readProperties(dir.resolve(SESSION_FILE));
        expect(dir, p, "method", config.method().cliName());
        expect(dir, p, "seed", Long.toString(config.seed()));
        expect(dir, p, "firstEpisodeSeed", Long.toString(config.firstEpisodeSeed()));
        List<EpisodeStats> restored = new ArrayList<>();
        List<String> lines = Files.readAllLines(dir.resolve(EPISODES_FILE), StandardCharsets.UTF_8);
        for (String line : lines.subList(1, lines.size())) {
            if (!line.isBlank()) {
                restored.add(EpisodeStats.fromCsv(line));
            }
        }
        Path learnerDir = dir.resolve(LEARNER_DIR);
        if (learnerState != null) {
            if (!Files.isDirectory(learnerDir)) {
                throw new IllegalArgumentException(dir + " holds no learner state");
            }
            learnerState.restoreState(learnerDir);
        }
        episodes.clear();
        episodes.addAll(restored);
        updates = Long.parseLong(p.getProperty("updates"));
        totals = SessionTotals.of(episodes, updates);
        snapshot = learner.latestSnapshot().orElse(null);
        updatesAtCheckpoint = updates;
        episodesAtCheckpoint = episodes.size();
        LOG.info("resumed from {}: {} episodes, {} steps, {} updates", dir, totals.episodes(), totals.steps(), updates);
        return true;
    }

    private static void expect(Path dir, Properties p, String key, String value) {
        if (!value.equals(p.getProperty(key))) {
            throw new IllegalArgumentException(dir + " was written by a session with " + key + " '"
                    + p.getProperty(key) + "', this one has '" + value + "'");
        }
    }

    /** Runs whole episodes until the step budget is spent; checkpoints on the way and at the end. */
    public SessionTotals run(SessionListener listener) throws IOException {
        while (totals.steps() < config.stepBudget()) {
            EpisodeStats e = runEpisode(totals.episodes());
            episodes.add(e);
            totals = totals.plus(e);
            listener.episodeFinished(e, totals);
            learn(listener);
            checkpoint(listener, false);
        }
        if (checkpoints != null && episodesAtCheckpoint != totals.episodes()) {
            checkpoint(listener, true);
        }
        return totals;
    }

    private void learn(SessionListener listener) {
        for (int i = 0; i < MAX_UPDATES_BETWEEN_EPISODES; i++) {
            LearnerUpdate u = learner.update();
            if (!u.updated()) {
                break;
            }
            updates++;
            totals = totals.withUpdates(updates);
            listener.updated(u, totals);
        }
        learner.latestSnapshot().ifPresent(s -> snapshot = s);
    }

    private void checkpoint(SessionListener listener, boolean force) throws IOException {
        if (checkpoints == null) {
            return;
        }
        boolean due = force
                || config.checkpointEveryUpdates() > 0 && updates - updatesAtCheckpoint >= config.checkpointEveryUpdates()
                || config.checkpointEveryEpisodes() > 0
                        && totals.episodes() - episodesAtCheckpoint >= config.checkpointEveryEpisodes();
        if (!due) {
            return;
        }
        Path saved = checkpoints.save(totals.episodes(), this::writeCheckpoint);
        updatesAtCheckpoint = updates;
        episodesAtCheckpoint = totals.episodes();
        listener.checkpointed(saved, totals);
    }

    private void writeCheckpoint(Path dir) throws IOException {
        Properties p = new Properties();
        p.setProperty("method", config.method().cliName());
        p.setProperty("seed", Long.toString(config.seed()));
        p.setProperty("firstEpisodeSeed", Long.toString(config.firstEpisodeSeed()));
        p.setProperty("episodes", Integer.toString(totals.episodes()));
        p.setProperty("steps", Long.toString(totals.steps()));
        p.setProperty("updates", Long.toString(updates));
        p.setProperty("policyVersion", Long.toString(snapshot == null ? -1 : snapshot.version()));
        CheckpointStore.writeProperties(dir.resolve(SESSION_FILE), p, "farl fine-tuning session");
        StringBuilder csv = new StringBuilder(EpisodeStats.CSV_HEADER).append('\n');
        for (EpisodeStats e : episodes) {
            csv.append(e.toCsv()).append('\n');
        }
        Files.writeString(dir.resolve(EPISODES_FILE), csv, StandardCharsets.UTF_8);
        if (learnerState != null) {
            Path l = Files.createDirectory(dir.resolve(LEARNER_DIR));
            learnerState.saveState(l);
        }
    }

    /** A step the loop executed, waiting for its next observation before it goes to the learner. */
    private record Pending(Observation observation, double[] executed, Proposal proposal, double reward,
            boolean success, boolean recoveryActed, boolean irFailure) {
    }

    private EpisodeStats runEpisode(int index) {
        long seed = config.episodeSeed(index);
        source.swapTaskPolicy(policies.create(snapshot, config.noiseSeed(index)));
        long version = source.taskPolicy().version();
        robot.reset(seed);
        loop.activate(clock.nanoTime());
        if (loop.supervisor().mode() == Mode.STOPPED) {
            // The scripted reset between episodes stands in for the operator who clears a latched stop and then
            // starts the next episode (this thread is the loop's thread, so it may call the supervisor directly).
            long now = clock.nanoTime();
            loop.supervisor().operatorReset(now);
            loop.supervisor().operatorStart(now);
            operatorResets++;
        }
        long switchesBefore = loop.gate().switchesToRecovery();
        long alarmsSeen = loop.gate().alarms();
        long switchesSeen = switchesBefore;
        List<Integer> alarmSteps = new ArrayList<>();
        int overrides = 0;
        int failureStep = -1;
        String failureMode = "";
        int stepsSinceOverride = -1;
        int overrideStretch = 0;
        int overrideRun = 0;
        int lastOverrideStep = -1;
        int lastSignalStep = -1;
        int executed = 0;
        int idle = 0;
        int failures = 0;
        int recovery = 0;
        int holds = 0;
        int dropped = 0;
        double ret = 0;
        boolean success = false;
        boolean truncated = false;
        Pending pending = null;
        while (true) {
            loop.runOnce(clock.nanoTime(), periodNanos);
            clock.advance(periodNanos);
            StepRecord r = lastStepRecord();
            TaskSignals s = robot.signals();
            if (r == null || s.step() == lastSignalStep) {
                // Nothing executed this period (write refused): no transition, and a cell that stops executing
                // altogether is cut off after the episode limit.
                if (++idle >= config.maxEpisodeSteps()) {
                    truncated = true;
                    if (pending != null) {
                        // the last executed step is cut, bootstrapped from whatever the cell reads now
                        dropped += offer(pending, finalObservation(pending.observation()), false, true) ? 0 : 1;
                        pending = null;
                    }
                    break;
                }
                continue;
            }
            lastSignalStep = s.step();
            executed++;
            Observation obs = r.observation();
            if (pending != null) {
                dropped += offer(pending, obs, false, false) ? 0 : 1;
                pending = null;
            }
            Mode mode = r.mode();
            if (mode == Mode.RECOVERY) {
                recovery++;
            } else if (mode == Mode.HOLD || mode == Mode.STOPPED) {
                holds++;
            }
            if (mode != Mode.TASK) {
                overrides++;
                overrideRun++;
                lastOverrideStep = executed - 1;
            } else {
                overrideRun = 0;
            }
            long alarmsNow = loop.gate().alarms();
            long switchesNow = loop.gate().switchesToRecovery();
            if (alarmsNow != alarmsSeen || switchesNow != switchesSeen) {
                // the gate judged the task action unsafe and began a new stretch (a switch to recovery, or a
                // both-unsafe alarm) with this step's decision, or in a period that executed nothing
                alarmSteps.add(executed - 1);
                alarmsSeen = alarmsNow;
                switchesSeen = switchesNow;
            }
            ret += s.reward();
            if (s.irFailure()) {
                if (failureStep < 0) {
                    failureStep = executed - 1;
                    failureMode = mode.name();
                    stepsSinceOverride = lastOverrideStep < 0 ? -1 : failureStep - lastOverrideStep;
                    overrideStretch = overrideRun;
                }
                failures++;
            }
            Proposal proposal = proposalFor(r, obs);
            if (obs != null && proposal != null) {
                pending = new Pending(obs, r.executedAction(), proposal, s.reward(), s.success(),
                        mode != Mode.TASK, s.irFailure());
            } else {
                dropped++;
            }
            boolean terminated = s.terminated() || s.irFailure();
            boolean cut = !terminated && (s.truncated() || executed >= config.maxEpisodeSteps());
            if (terminated || cut) {
                success = s.success();
                truncated = cut;
                if (pending != null) {
                    Observation next = finalObservation(obs);
                    if (next == null && terminated) {
                        // a terminated step is not bootstrapped from: its own observation stands in for the
                        // reading that never came. A truncated one without a next observation is dropped (counted).
                        next = pending.observation();
                    }
                    dropped += offer(pending, next, terminated, cut) ? 0 : 1;
                }
                break;
            }
        }
        loop.deactivate(clock.nanoTime());
        int switches = (int) (loop.gate().switchesToRecovery() - switchesBefore);
        int alarms = alarmSteps.size();
        return new EpisodeStats(index, seed, executed, totals.steps() + executed, ret, success, failures, truncated,
                recovery, switches, holds, alarms, version, dropped, overrides, failureStep, alarmSteps, failureMode,
                stepsSinceOverride, overrideStretch);
    }

    private StepRecord lastStepRecord() {
        StepRecord last = null;
        for (StepRecord r = stepRecords.poll(); r != null; r = stepRecords.poll()) {
            last = r;
        }
        return last;
    }

    /** The task proposal for {@code obs}: the one the loop gated, or (on a hold) the one made for it anyway. */
    private Proposal proposalFor(StepRecord r, Observation obs) {
        if (r.proposal() != null) {
            return r.proposal();
        }
        Proposal last = source.lastProposal();
        return obs != null && last != null && last.observationSequence() == obs.sequence() ? last : null;
    }

    /** The observation after the final step: read outside the loop (no proposal, nothing written). */
    private Observation finalObservation(Observation before) {
        EpisodicRobot inner = robot.robot();
        RobotStatus status = inner.read(clock.nanoTime(), periodNanos);
        Observation o = inner.latest();
        if (o == null || (before != null && o.sequence() == before.sequence())) {
            LOG.debug("no observation after the final step ({})", status);
            return null;
        }
        return o;
    }

    private boolean offer(Pending p, Observation next, boolean terminated, boolean truncated) {
        if (next == null || next.values().length != p.observation().values().length) {
            return false;
        }
        io.farl.model.api.StepRecord step = new io.farl.model.api.StepRecord(
                ModelProposalSource.toFloat(p.observation().values()), ModelProposalSource.toFloat(p.executed()),
                ModelProposalSource.toFloat(p.proposal().taskAction()), p.proposal().logProb(),
                p.proposal().policyVersion(), config.reward().reward(p.reward(), p.success(), next.values()),
                ModelProposalSource.toFloat(next.values()), terminated,
                truncated, p.recoveryActed(), p.irFailure());
        if (!learner.offer(step)) {
            learnerRejects++;
            return false;
        }
        return true;
    }

    /** Finished episodes, oldest first (restored ones included after {@link #resume()}). */
    public List<EpisodeStats> episodes() {
        return Collections.unmodifiableList(episodes);
    }

    public SessionTotals totals() {
        return totals;
    }

    /** The loop the session drives (for its gate, supervisor and envelope counters). */
    public ControlLoop loop() {
        return loop;
    }

    public ModelProposalSource proposals() {
        return source;
    }

    /** Proposals that failed in the lock-step read; the loop held in those steps. */
    public long proposalFailures() {
        return robot.failures();
    }

    /** Latched stops cleared by the scripted reset between episodes. */
    public long operatorResets() {
        return operatorResets;
    }

    /** Steps the learner refused as malformed. */
    public long learnerRejects() {
        return learnerRejects;
    }
}
