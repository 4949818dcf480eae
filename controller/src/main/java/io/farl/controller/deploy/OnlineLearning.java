package io.farl.controller.deploy;

import io.farl.controller.dataset.Episode;
import io.farl.controller.loop.Proposal;
import io.farl.controller.session.CheckpointStore;
import io.farl.controller.session.Checkpointable;
import io.farl.controller.session.ModelProposalSource;
import io.farl.controller.session.TaskPolicyFactory;
import io.farl.model.api.Learner;
import io.farl.model.api.LearnerUpdate;
import io.farl.model.api.NamedArray;
import io.farl.model.api.Policy;
import io.farl.model.api.PolicySnapshot;
import io.farl.model.api.StepRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Online fine-tuning during a deployment run ({@code farl run --finetune}), with the runtime's threads: the control
 * thread acts, the recorder thread assembles each executed step ({@link RunRecorder}) and offers it to the
 * {@link Learner} here, and this class's own learner thread runs the updates. A new snapshot is checked (every
 * parameter finite, the acting policy's sizes) and handed to the proposal source, which swaps it in before its next
 * proposal: between two inferences, never inside one. The control thread never waits for the learner.
 *
 * <p><b>What the learner sees.</b> Each step with the task policy's proposal for its observation (action,
 * log-probability, policy version), the executed action, the reward of the {@link StepReward}, the next observation
 * and whether recovery or a hold acted. Steps without a proposal (holds before the first one) and last steps without
 * a next observation that did not terminate (a time limit reported over a link, the end of the run) are skipped and
 * counted: a bootstrap from a made-up next observation would be wrong.
 *
 * <p><b>Checkpoints.</b> Every {@code checkpointEveryUpdates} updates (on the learner thread, between updates) and at
 * {@link #close}: the learner's whole state and the policy version, atomically ({@link CheckpointStore}). A run
 * started with the same checkpoint directory {@link #resume}s from the newest one and acts with exactly the policy
 * it had reached, never a freshly initialised one.
 */
public final class OnlineLearning implements RunRecorder.StepListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OnlineLearning.class);
    static final String STATE_FILE = "learning.properties";
    static final String LEARNER_DIR = "learner";
    private static final long IDLE_SLEEP_MILLIS = 20;

    /**
     * Counters of the online learning in a run.
     *
     * @param stepsOffered      steps the learner accepted
     * @param stepsRejected     steps the learner refused as malformed
     * @param stepsSkipped      steps not offered: no proposal, or a cut last step without a next observation
     * @param updates           policy updates run in this process
     * @param policyVersion     version of the newest snapshot handed to the actor (0: the pretrained policy)
     * @param policiesOffered   snapshots handed to the actor
     * @param policiesSwapped   snapshots the actor swapped in
     * @param snapshotsRejected snapshots refused by the check (non-finite parameters, wrong sizes)
     * @param checkpoints       checkpoints written
     * @param resumedFrom       the checkpoint the run resumed from, or null
     */
    public record Stats(long stepsOffered, long stepsRejected, long stepsSkipped, long updates, long policyVersion,
            long policiesOffered, long policiesSwapped, long snapshotsRejected, long checkpoints, String resumedFrom) {
    }

    private final Learner learner;
    private final Checkpointable state;
    private final CheckpointStore checkpoints;
    private final int checkpointEveryUpdates;
    private final TaskPolicyFactory policies;
    private final ModelProposalSource source;
    private final long noiseSeed;
    private io.farl.controller.session.SessionReward trainingReward = io.farl.controller.session.SessionReward.SHAPED;
    private final AtomicLong offered = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private volatile long updates;
    private volatile long policyVersion;
    private volatile long policiesOffered;
    private volatile long snapshotsRejected;
    private volatile long checkpointsWritten;
    private volatile String resumedFrom;
    private volatile boolean running;
    private volatile Throwable failure;
    private long updatesAtCheckpoint;
    private long updatesBefore;
    private Thread thread;
    private volatile boolean durableSwaps;

    /**
     * @param state                  the learner's checkpoint state, or null (no checkpoints)
     * @param checkpoints            where checkpoints go, or null for none
     * @param checkpointEveryUpdates checkpoint after this many updates (0: only at close)
     * @param policies               builds the acting policy from a snapshot
     * @param source                 the proposal source that acts with it
     * @param noiseSeed              snapshot version v acts with sampling noise seeded {@code noiseSeed + v}
     */
    public OnlineLearning(Learner learner, Checkpointable state, CheckpointStore checkpoints,
            int checkpointEveryUpdates, TaskPolicyFactory policies, ModelProposalSource source, long noiseSeed) {
        if (learner == null || policies == null || source == null) {
            throw new IllegalArgumentException("learner, policies and proposal source must be given");
        }
        if (checkpointEveryUpdates < 0) {
            throw new IllegalArgumentException("checkpointEveryUpdates must be >= 0, got " + checkpointEveryUpdates);
        }
        if (checkpoints != null && state == null) {
            throw new IllegalArgumentException("checkpoints need the learner's state");
        }
        this.learner = learner;
        this.state = state;
        this.checkpoints = checkpoints;
        this.checkpointEveryUpdates = checkpointEveryUpdates;
        this.policies = policies;
        this.source = source;
        this.noiseSeed = noiseSeed;
    }

    /**
     * Restores the newest checkpoint, if any, and hands its policy to the actor; call before {@link #start}.
     *
     * @return true when a checkpoint was restored
     */
    public boolean resume() throws IOException {
        return resume(-1);
    }

    /**
     * Restores the newest checkpoint that holds policy version {@code acting} (the version that acted last, from the
     * session's log), else the newest one, and hands its policy to the actor; call before {@link #start}. With
     * {@link #durableSwaps()} every version is checkpointed before it acts, so the version that acted last is on disk.
     *
     * @param acting the version to resume with, or -1 for the newest checkpoint
     * @return true when a checkpoint was restored
     */
    public boolean resume(long acting) throws IOException {
        if (checkpoints == null) {
            return false;
        }
        Optional<Path> latest = checkpoints.latest();
        if (latest.isEmpty()) {
            return false;
        }
        Path dir = latest.get();
        if (acting >= 0) {
            for (Path c : checkpoints.list()) {
                if (Long.parseLong(CheckpointStore.readProperties(c.resolve(STATE_FILE)).getProperty("policyVersion",
                        "-1")) == acting) {
                    dir = c;
                }
            }
            if (!dir.equals(latest.get())) {
                LOG.info("resuming with policy version {}, the one that acted last, not the newest checkpoint {}",
                        acting, latest.get());
            }
        }
        Properties p = CheckpointStore.readProperties(dir.resolve(STATE_FILE));
        state.restoreState(dir.resolve(LEARNER_DIR));
        long expected = Long.parseLong(p.getProperty("policyVersion", "0"));
        updatesBefore = Long.parseLong(p.getProperty("updates", "0"));
        publishNewest();
        if (policyVersion != expected) {
            throw new IOException(dir + " records policy version " + expected + ", its learner state holds "
                    + policyVersion);
        }
        resumedFrom = dir.toString();
        LOG.info("online learning resumed from {} at policy version {}", dir, policyVersion);
        return true;
    }

    /** Starts the learner thread. */
    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("already started");
        }
        running = true;
        thread = new Thread(this::learn, "farl-learner");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void recorded(Episode.Step step, Proposal proposal, boolean nextObserved) {
        if (proposal == null || !nextObserved && !step.terminated()) {
            skipped.incrementAndGet();
            return;
        }
        StepRecord r;
        try {
            r = record(step, proposal, trainingReward.reward(step.reward(), step.success(), step.nextObservation()));
        } catch (IllegalArgumentException e) {
            rejected.incrementAndGet();
            return;
        }
        if (learner.offer(r)) {
            offered.incrementAndGet();
        } else {
            rejected.incrementAndGet();
        }
    }

    /**
     * What a learner trains on for one recorded step with the task policy's proposal for its observation.
     *
     * @throws IllegalArgumentException when the step does not make a record (sizes, non-finite reward)
     */
    public static StepRecord record(Episode.Step step, Proposal proposal) {
        return record(step, proposal, step.reward());
    }

    /** The same rewarded with {@code reward} instead of the recorded reward. */
    public static StepRecord record(Episode.Step step, Proposal proposal, double reward) {
        return new StepRecord(ModelProposalSource.toFloat(step.observation()),
                ModelProposalSource.toFloat(step.executedAction()), ModelProposalSource.toFloat(proposal.taskAction()),
                proposal.logProb(), proposal.policyVersion(), reward,
                ModelProposalSource.toFloat(step.nextObservation()), step.terminated(), step.truncated(),
                step.mode() != Episode.Mode.TASK, step.irFailure());
    }

    private void learn() {
        try {
            while (running) {
                LearnerUpdate u = learner.update();
                if (!u.updated()) {
                    Thread.sleep(IDLE_SLEEP_MILLIS);
                    continue;
                }
                updates++;
                if (durableSwaps) {
                    // the new version is on disk before it may act: a restart finds the version that acted last
                    checkpoint(learner.latestSnapshot().map(PolicySnapshot::version).orElse(policyVersion));
                    publishNewest();
                } else {
                    publishNewest();
                    if (checkpoints != null && checkpointEveryUpdates > 0
                            && updates - updatesAtCheckpoint >= checkpointEveryUpdates) {
                        checkpoint(policyVersion);
                    }
                }
                LOG.info("update {}: policy version {}, {} samples {}", updates, policyVersion, u.samplesUsed(),
                        u.metrics());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            // the run goes on with the policy it has; the report says learning stopped
            failure = t;
            LOG.error("online learning stopped after {} updates: {}", updates, t.toString());
        }
    }

    /** The learner's newest snapshot to the actor, when it is newer than the last one and passes the check. */
    private void publishNewest() {
        Optional<PolicySnapshot> s = learner.latestSnapshot();
        if (s.isEmpty() || s.get().version() <= policyVersion) {
            return;
        }
        PolicySnapshot snapshot = s.get();
        String problem = check(snapshot);
        if (problem != null) {
            snapshotsRejected++;
            LOG.error("policy version {} refused: {}", snapshot.version(), problem);
            return;
        }
        try {
            Policy policy = policies.create(snapshot, noiseSeed + snapshot.version());
            source.offerTaskPolicy(policy);
        } catch (RuntimeException e) {
            snapshotsRejected++;
            LOG.error("policy version {} refused: {}", snapshot.version(), e.toString());
            return;
        }
        policyVersion = snapshot.version();
        policiesOffered++;
    }

    /** Null when every parameter of {@code snapshot} is finite, else what is not. */
    static String check(PolicySnapshot snapshot) {
        for (var e : snapshot.parameters().asMap().entrySet()) {
            NamedArray a = e.getValue();
            float[] data = a.data();
            for (int i = 0; i < data.length; i++) {
                if (!Float.isFinite(data[i])) {
                    return "parameter " + e.getKey() + "[" + i + "] is " + data[i];
                }
            }
        }
        return null;
    }

    /**
     * Every update is checkpointed before its policy is offered to the actor (supervised sessions): the version that
     * acts is always on disk. Set before {@link #start}; needs checkpoints.
     */
    /**
     * What the learner is rewarded with (the recorded task reward by default): the sparse reward, or a learned one
     * ({@link io.farl.controller.session.SessionReward}). Used on the recorder's thread only. Set before
     * {@link #start}.
     */
    public void trainingReward(io.farl.controller.session.SessionReward reward) {
        if (reward == null) {
            throw new IllegalArgumentException("training reward must be given");
        }
        this.trainingReward = reward;
    }

    public io.farl.controller.session.SessionReward trainingReward() {
        return trainingReward;
    }

    public void durableSwaps(boolean on) {
        if (on && checkpoints == null) {
            throw new IllegalStateException("durable swaps need checkpoints");
        }
        this.durableSwaps = on;
    }

    public boolean durableSwaps() {
        return durableSwaps;
    }

    private void checkpoint(long v) throws IOException {
        long u = updates;
        // ordinal: updates over all runs of this checkpoint directory, so the newest is always the latest
        checkpoints.save(updatesBefore + u, dir -> {
                    Properties p = new Properties();
                    p.setProperty("policyVersion", Long.toString(v));
                    p.setProperty("updates", Long.toString(updatesBefore + u));
                    CheckpointStore.writeProperties(dir.resolve(STATE_FILE), p, "farl run --finetune");
                    state.saveState(Files.createDirectory(dir.resolve(LEARNER_DIR)));
                });
        checkpointsWritten++;
        updatesAtCheckpoint = u;
    }

    /** Why learning stopped during the run, or null. */
    public Throwable failure() {
        return failure;
    }

    public Stats stats() {
        return new Stats(offered.get(), rejected.get(), skipped.get(), updates, policyVersion, policiesOffered,
                source.swaps(), snapshotsRejected, checkpointsWritten, resumedFrom);
    }

    /**
     * Stops the learner thread (an update in progress finishes), writes the final checkpoint, and closes the learner.
     */
    @Override
    public void close() throws IOException {
        Thread t;
        synchronized (this) {
            t = thread;
            running = false;
        }
        try {
            if (t != null) {
                t.join();
            }
            if (checkpoints != null && failure == null && updates > updatesAtCheckpoint) {
                checkpoint(policyVersion);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the learner finished its update", e);
        } finally {
            learner.close();
        }
    }
}
