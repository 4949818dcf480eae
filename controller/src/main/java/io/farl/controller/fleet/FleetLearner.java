package io.farl.controller.fleet;

import io.farl.controller.session.CheckpointStore;
import io.farl.controller.session.Checkpointable;
import io.farl.model.api.Learner;
import io.farl.model.api.LearnerUpdate;
import io.farl.model.api.PolicySnapshot;
import io.farl.model.api.StepRecord;
import io.farl.protocol.v1.StepAck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workstation's learner for a fleet ({@code farl serve --learn}): step batches from any number of robots arrive on
 * the transport's threads ({@link #onSteps}) and are taken on one thread, {@code farl-fleet-intake}, so they are
 * acknowledged while an update runs; the {@link Learner}'s updates run on another, {@code farl-fleet-learner}. Per
 * batch: decode and check (REFUSED when malformed), drop a batch taken before
 * (DUPLICATE), write it to the {@link LearnJournal}, drop steps proposed by a policy more than
 * {@link Settings#maxPolicyLag()} versions behind (counted), offer the rest in order, then acknowledge ACCEPTED. Each
 * robot's batch is one contiguous piece of its trajectory, so the learner's λ-returns never mix robots.
 *
 * <p>After each update the new snapshot is published to every robot served or heard from (retained: a robot that
 * connects later gets the newest at once) and handed to {@code onSnapshot} (the server's own inference). Checkpoints,
 * every {@link Settings#checkpointEveryUpdates()} updates and at close, hold the learner's state, the batches taken and
 * the journal mark; {@link #resume} restores the newest, replays the journal after it and republishes the newest
 * version.
 */
public final class FleetLearner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FleetLearner.class);
    static final String STATE_FILE = "fleet.properties";
    static final String SEEN_FILE = "seen-batches.txt";
    static final String LEARNER_DIR = "learner";

    /** Publishes to one robot; never waits for the network. */
    public interface Outbox {
        /** A {@code StepAck}; false when not sent. */
        boolean ack(String robot, byte[] payload);

        /** A {@code PolicyUpdate}, retained; false when not sent. */
        boolean policy(String robot, byte[] payload);
    }

    /**
     * @param learnerId              names this learner in its policy updates
     * @param maxPolicyLag           steps proposed by a policy more than this many versions behind the newest are
     *                               dropped (counted); the PPO ratio of such steps says little
     * @param checkpointEveryUpdates checkpoint after this many updates (0: only at close)
     * @param queueCapacity          batches waiting for the learner thread at most; beyond, a batch goes
     *                               unacknowledged and its robot sends it again later
     * @param robots                 robots to publish policies to from the start (others once heard from)
     */
    public record Settings(String learnerId, long maxPolicyLag, int checkpointEveryUpdates, int queueCapacity,
            Set<String> robots) {
        public Settings {
            if (learnerId == null || learnerId.isEmpty() || maxPolicyLag < 0 || checkpointEveryUpdates < 0
                    || queueCapacity < 1) {
                throw new IllegalArgumentException("fleet learner settings out of range");
            }
            robots = Set.copyOf(robots);
        }
    }

    /**
     * Per robot: batches and steps taken, steps dropped as stale, IR-failure steps, and steps that ended an episode
     * (terminated, or truncated with a next observation; a robot does not send a cut last step without one).
     */
    public record RobotTally(long batches, long steps, long stale, long irFailures, long episodeEnds) {
    }

    public record Stats(long batches, long duplicates, long refused, long overloaded, long journalErrors,
            long stepsAccepted, long stepsStale, long stepsRejected, long updates, long policyVersion,
            long policiesPublished, long checkpoints, long replayedBatches, String resumedFrom, String lastError,
            Map<String, RobotTally> robots) {
    }

    private record Incoming(String robot, byte[] payload) {
    }

    private final Learner learner;
    private final Checkpointable state;
    private final CheckpointStore checkpoints;
    private final LearnJournal journal;
    private final int observationSize;
    private final int actionSize;
    private final Settings settings;
    private final Outbox outbox;
    private final Consumer<PolicySnapshot> onSnapshot;
    private final ArrayBlockingQueue<Incoming> queue;
    private final Set<String> robots = new java.util.concurrent.CopyOnWriteArraySet<>();
    private final Map<String, long[]> tallies = new TreeMap<>();
    private final AtomicLong overloaded = new AtomicLong();
    private SeenBatches seen = new SeenBatches();
    private volatile long batches;
    private volatile long duplicates;
    private volatile long refused;
    private volatile long journalErrors;
    private volatile long stepsAccepted;
    private volatile long stepsStale;
    private volatile long stepsRejected;
    private volatile long updates;
    private volatile long updatesBefore;
    private volatile long version;
    private volatile long published;
    private volatile long checkpointsWritten;
    private volatile long replayed;
    private volatile String resumedFrom;
    private volatile String lastError = "";
    private long stepsTrained;
    private long updatesAtCheckpoint;
    private long lastOrdinal;
    private volatile byte[] newestPolicy;
    private volatile boolean running;
    private volatile Throwable failure;
    private Thread thread;
    private Thread intake;
    /** Held while a batch is taken, and while a checkpoint takes its journal mark. */
    private final Object intakeLock = new Object();
    /** While a checkpoint writes the learner's state: steps of batches taken meanwhile, offered after it. */
    private final java.util.List<StepRecord> held = new java.util.ArrayList<>();
    private boolean checkpointing;

    /**
     * @param checkpoints where checkpoints go, or null for none (then {@code journal} must be null too)
     * @param journal     where accepted batches are journaled until a checkpoint holds them, or null
     * @param onSnapshot  receives each new snapshot on the learner thread (the server's own inference), or null
     */
    public FleetLearner(Learner learner, Checkpointable state, CheckpointStore checkpoints, Path journal,
            int observationSize, int actionSize, Settings settings, Outbox outbox,
            Consumer<PolicySnapshot> onSnapshot) throws IOException {
        if (learner == null || settings == null || outbox == null) {
            throw new IllegalArgumentException("learner, settings and outbox must be given");
        }
        if (checkpoints != null && state == null || journal != null && checkpoints == null) {
            throw new IllegalArgumentException("checkpoints need the learner's state, a journal needs checkpoints");
        }
        this.learner = learner;
        this.state = state;
        this.checkpoints = checkpoints;
        this.journal = journal == null ? null : new LearnJournal(journal);
        this.observationSize = observationSize;
        this.actionSize = actionSize;
        this.settings = settings;
        this.outbox = outbox;
        this.onSnapshot = onSnapshot == null ? s -> { } : onSnapshot;
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        this.robots.addAll(settings.robots());
        this.version = learner.latestSnapshot().map(PolicySnapshot::version).orElse(0L);
    }

    /**
     * Restores the newest checkpoint, if any, replays the journal after it and republishes the newest version; call
     * before {@link #start}.
     *
     * @return true when a checkpoint was restored
     */
    public boolean resume() throws IOException {
        long mark = 0;
        boolean restored = false;
        Optional<Path> latest = checkpoints == null ? Optional.empty() : checkpoints.latest();
        if (latest.isPresent()) {
            Path dir = latest.get();
            Properties p = CheckpointStore.readProperties(dir.resolve(STATE_FILE));
            state.restoreState(dir.resolve(LEARNER_DIR));
            seen = SeenBatches.read(dir.resolve(SEEN_FILE));
            updatesBefore = Long.parseLong(p.getProperty("updates", "0"));
            stepsTrained = Long.parseLong(p.getProperty("stepsTrained", "0"));
            mark = Long.parseLong(p.getProperty("journalMark", "0"));
            for (String r : p.getProperty("robots", "").split(",")) {
                if (!r.isEmpty()) {
                    robots.add(r);
                }
            }
            version = learner.latestSnapshot().map(PolicySnapshot::version).orElse(0L);
            long expected = Long.parseLong(p.getProperty("policyVersion", "0"));
            if (version != expected) {
                throw new IOException(dir + " records policy version " + expected + ", its learner state holds "
                        + version);
            }
            resumedFrom = dir.toString();
            lastOrdinal = CheckpointStore.ordinal(dir);
            restored = true;
        }
        if (journal != null) {
            journal.continueAfter(mark);
            for (LearnJournal.Entry e : journal.entries()) {
                if (e.number() > mark) {
                    take(e.robot(), Files.readAllBytes(e.file()), false);
                    replayed++;
                }
            }
        }
        if (restored) {
            LOG.info("fleet learner resumed from {} at policy version {}, {} journaled batches replayed", resumedFrom,
                    version, replayed);
        }
        learner.latestSnapshot().ifPresent(s -> {
            if (s.version() > 0) {
                publish(s);
            }
        });
        return restored;
    }

    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("already started");
        }
        running = true;
        intake = new Thread(this::intakeLoop, "farl-fleet-intake");
        intake.setDaemon(true);
        intake.start();
        thread = new Thread(this::learnLoop, "farl-fleet-learner");
        thread.setDaemon(true);
        thread.start();
    }

    /** A {@code StepBatch} payload from {@code robot}'s steps topic; any thread, never blocks. */
    public void onSteps(String robot, byte[] payload) {
        if (!queue.offer(new Incoming(robot, payload))) {
            // unacknowledged: the robot spools it and sends it again
            overloaded.incrementAndGet();
        }
    }

    /** Batches are taken and acknowledged here, also while an update runs (it may take seconds). */
    private void intakeLoop() {
        try {
            while (running) {
                Incoming in = queue.poll(20, TimeUnit.MILLISECONDS);
                if (in != null) {
                    synchronized (intakeLock) {
                        take(in.robot(), in.payload(), true);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            failure = t;
            lastError = t.toString();
            LOG.error("fleet learner intake stopped: {}", t.toString(), t);
        }
    }

    private void learnLoop() {
        try {
            while (running) {
                LearnerUpdate u = learner.update();
                if (u.updated()) {
                    updated(u);
                } else {
                    Thread.sleep(20);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            failure = t;
            lastError = t.toString();
            LOG.error("fleet learner stopped after {} updates: {}", updates, t.toString(), t);
        }
    }

    /** Checks, journals and offers one batch; acknowledges it when {@code live} (not a journal replay). */
    private void take(String robot, byte[] payload, boolean live) {
        LearnCodec.Batch b;
        try {
            b = LearnCodec.decodeBatch(robot, payload, observationSize, actionSize);
        } catch (IllegalArgumentException e) {
            refused++;
            lastError = robot + ": " + e.getMessage();
            LOG.warn("step batch from {} refused: {}", robot, e.getMessage());
            if (live) {
                LearnCodec.Ack id = identifyQuietly(payload);
                outbox.ack(robot, LearnCodec.ack(robot, id.runId(), id.seq(), StepAck.Status.REFUSED, 0, 0,
                        e.getMessage()));
            }
            return;
        }
        if (robots.add(robot) && newestPolicy != null) {
            outbox.policy(robot, newestPolicy);
        }
        if (seen.contains(b.key(), b.seq())) {
            duplicates++;
            if (live) {
                outbox.ack(robot, LearnCodec.ack(robot, b.runId(), b.seq(), StepAck.Status.DUPLICATE, 0, 0, ""));
            }
            return;
        }
        if (live && journal != null) {
            try {
                journal.append(robot, payload);
            } catch (IOException e) {
                // not acknowledged: the robot keeps it and sends it again
                journalErrors++;
                lastError = "journal: " + e;
                LOG.error("cannot journal a step batch of {}: {}", robot, e.toString());
                return;
            }
        }
        int accepted = 0;
        int stale = 0;
        int irFailures = 0;
        int episodes = 0;
        for (StepRecord s : b.steps()) {
            if (version - s.policyVersion() > settings.maxPolicyLag()) {
                stale++;
                continue;
            }
            if (checkpointing ? held.add(s) : learner.offer(s)) {
                accepted++;
                irFailures += s.irFailure() ? 1 : 0;
                episodes += s.done() ? 1 : 0;
            } else {
                stepsRejected++;
            }
        }
        seen.add(b.key(), b.seq());
        batches++;
        stepsAccepted += accepted;
        stepsStale += stale;
        synchronized (tallies) {
            long[] t = tallies.computeIfAbsent(robot, r -> new long[5]);
            t[0]++;
            t[1] += accepted;
            t[2] += stale;
            t[3] += irFailures;
            t[4] += episodes;
        }
        if (live) {
            outbox.ack(robot, LearnCodec.ack(robot, b.runId(), b.seq(), StepAck.Status.ACCEPTED, accepted, stale, ""));
        }
    }

    private static LearnCodec.Ack identifyQuietly(byte[] payload) {
        try {
            return LearnCodec.identify(payload);
        } catch (IllegalArgumentException e) {
            return new LearnCodec.Ack("", 0, StepAck.Status.REFUSED, 0, 0, "");
        }
    }

    private void updated(LearnerUpdate u) throws IOException {
        updates++;
        stepsTrained += u.samplesUsed();
        PolicySnapshot s = learner.latestSnapshot().orElseThrow();
        version = s.version();
        LOG.info("fleet update {}: policy version {}, {} samples, {}", updatesBefore + updates, version,
                u.samplesUsed(), u.metrics());
        publish(s);
        onSnapshot.accept(s);
        if (checkpoints != null && settings.checkpointEveryUpdates() > 0
                && updates - updatesAtCheckpoint >= settings.checkpointEveryUpdates()) {
            checkpoint();
        }
    }

    private void publish(PolicySnapshot s) {
        newestPolicy = LearnCodec.policy(s, settings.learnerId(), updatesBefore + updates, stepsTrained,
                System.currentTimeMillis());
        for (String r : robots) {
            if (outbox.policy(r, newestPolicy)) {
                published++;
            }
        }
    }

    /**
     * Records the batches taken (journal mark, pairs taken) and, consistently with them, the learner's state. The
     * intake lock is held only to take the mark: while the state is written, batches still arrive, are journaled after
     * the mark and acknowledged, and their steps wait in {@code held} until the state is written, so the checkpoint
     * holds exactly the batches up to its mark and a restart replays the rest.
     */
    private void checkpoint() throws IOException {
        long mark;
        SeenBatches seenNow;
        synchronized (intakeLock) {
            checkpointing = true;
            mark = journal == null ? 0 : journal.last();
            seenNow = seen.copy();
        }
        long total = updatesBefore + updates;
        // every checkpoint gets a new number, so the one before stays intact until this one is complete
        long ordinal = ++lastOrdinal;
        try {
            checkpoints.save(ordinal, dir -> {
                Properties p = new Properties();
                p.setProperty("policyVersion", Long.toString(version));
                p.setProperty("updates", Long.toString(total));
                p.setProperty("stepsTrained", Long.toString(stepsTrained));
                p.setProperty("journalMark", Long.toString(mark));
                p.setProperty("robots", String.join(",", robots));
                CheckpointStore.writeProperties(dir.resolve(STATE_FILE), p, "farl serve --learn");
                seenNow.write(dir.resolve(SEEN_FILE));
                state.saveState(Files.createDirectory(dir.resolve(LEARNER_DIR)));
            });
        } finally {
            synchronized (intakeLock) {
                checkpointing = false;
                held.forEach(learner::offer);
                held.clear();
            }
        }
        if (journal != null) {
            journal.deleteThrough(mark);
        }
        checkpointsWritten++;
        updatesAtCheckpoint = updates;
    }

    /** The learner's newest snapshot (after {@link #resume}: the version resumed). */
    public Optional<PolicySnapshot> latestSnapshot() {
        return learner.latestSnapshot();
    }

    public Throwable failure() {
        return failure;
    }

    public Stats stats() {
        Map<String, RobotTally> per = new TreeMap<>();
        synchronized (tallies) {
            tallies.forEach((r, t) -> per.put(r, new RobotTally(t[0], t[1], t[2], t[3], t[4])));
        }
        return new Stats(batches, duplicates, refused, overloaded.get(), journalErrors, stepsAccepted, stepsStale,
                stepsRejected, updates, version, published, checkpointsWritten, replayed, resumedFrom, lastError,
                per);
    }

    /** Stops the learner thread as a kill would leave things: no final checkpoint (tests). */
    void halt() throws InterruptedException {
        stopThreads();
    }

    private void stopThreads() throws InterruptedException {
        Thread t;
        Thread i;
        synchronized (this) {
            running = false;
            t = thread;
            i = intake;
        }
        if (i != null) {
            i.join();
        }
        if (t != null) {
            t.join();
        }
    }

    /** Stops the learner thread (an update in progress finishes), writes the final checkpoint, closes the learner. */
    @Override
    public void close() throws IOException {
        try {
            stopThreads();
            // batches taken since the last checkpoint are in the learner's queue: a checkpoint holds them
            boolean pending = journal != null && journal.last() > 0 && !journal.entries().isEmpty();
            if (checkpoints != null && failure == null && (updates > updatesAtCheckpoint || pending)) {
                checkpoint();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the learner finished its update", e);
        } finally {
            learner.close();
        }
    }
}
