package io.farl.controller.fleet;

import io.farl.model.api.StepRecord;
import io.farl.protocol.v1.StepAck;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The robot's end of the step stream to a remote learner. The recorder thread {@link #offer}s each executed step into a
 * bounded queue (full: the oldest step is dropped and counted; the control thread is never involved). The uplink's
 * own thread, {@code farl-learn-uplink}, cuts the steps into batches ({@link Settings#batchSteps()} steps or
 * {@link Settings#batchDelayNanos()} after the first), sends each with at most {@link Settings#maxInFlight()} awaiting
 * an acknowledgement, and keeps every batch until the learner acknowledges it.
 *
 * <p><b>Nothing lost.</b> A batch not acknowledged within {@link Settings#ackTimeoutNanos()}, sealed while the link is
 * down, or beyond {@link Settings#memoryBatches()} waiting in memory is written to the {@link StepSpool}; so is
 * everything unacknowledged when the run ends. While the learner does not answer, one batch at a time probes it; when
 * acknowledgements return, the spool drains, oldest first, and each spooled file is deleted only after its
 * acknowledgement. A later run with the same spool sends what an earlier run left. Batches are delivered at least once;
 * the learner drops repeats by (robot, run id, sequence).
 */
public final class StepUplink implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StepUplink.class);
    private static final DateTimeFormatter RUN_ID = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS");

    /** Sends one batch payload; never waits for the network. */
    public interface Transport {
        /** @return false when nothing was sent (link down, or the client refused) */
        boolean send(byte[] payload);

        boolean up();
    }

    /**
     * @param queueCapacity    steps waiting for the uplink thread at most
     * @param batchSteps       steps per batch at most
     * @param batchDelayNanos  a non-empty batch is sent this long after its first step at the latest
     * @param ackTimeoutNanos  a batch unacknowledged this long is spooled and the learner counted unreachable
     * @param maxInFlight      batches sent and not yet acknowledged at most
     * @param memoryBatches    unsent batches kept in memory at most; the rest go to the spool
     * @param closeGraceNanos  at the end of a run, how long to wait for the last acknowledgements before spooling
     */
    public record Settings(int queueCapacity, int batchSteps, long batchDelayNanos, long ackTimeoutNanos,
            int maxInFlight, int memoryBatches, long closeGraceNanos) {
        public Settings {
            if (queueCapacity < 1 || batchSteps < 1 || batchDelayNanos <= 0 || ackTimeoutNanos <= 0 || maxInFlight < 1
                    || memoryBatches < 0 || closeGraceNanos < 0) {
                throw new IllegalArgumentException("uplink settings out of range");
            }
        }

        public static Settings defaults() {
            return new Settings(8192, 64, TimeUnit.MILLISECONDS.toNanos(500), TimeUnit.SECONDS.toNanos(3), 8, 32,
                    TimeUnit.SECONDS.toNanos(3));
        }

        public Settings withAckTimeout(long nanos) {
            return new Settings(queueCapacity, batchSteps, batchDelayNanos, nanos, maxInFlight, memoryBatches,
                    closeGraceNanos);
        }

        public Settings withBatch(int steps, long delayNanos) {
            return new Settings(queueCapacity, steps, delayNanos, ackTimeoutNanos, maxInFlight, memoryBatches,
                    closeGraceNanos);
        }
    }

    /**
     * What the uplink did.
     *
     * @param stepsOffered    steps handed to the uplink
     * @param stepsDropped    steps dropped from the full intake queue (oldest first)
     * @param batches         batches cut in this run
     * @param sends           batches published, resends included
     * @param resends         of those, a batch sent before or spooled by an earlier run
     * @param acked           batches the learner acknowledged (accepted, duplicate or refused)
     * @param duplicates      of those, DUPLICATE: the learner had taken it before
     * @param refused         of those, REFUSED as malformed (deleted, never resent)
     * @param stepsAccepted   steps the learner kept, by its acknowledgements
     * @param stepsStale      steps the learner dropped as proposed by too old a policy
     * @param spooled         batches written to the spool
     * @param spoolDrained    spooled batches acknowledged later (and deleted)
     * @param spoolPending    batches in the spool now
     * @param learnerLost     times the learner stopped acknowledging
     * @param learnerReachable whether the last batch sent was acknowledged in time
     */
    public record Stats(String runId, long stepsOffered, long stepsDropped, long batches, long sends, long resends,
            long acked, long duplicates, long refused, long stepsAccepted, long stepsStale, long spooled,
            long spoolDrained, long spoolPending, long spoolErrors, long learnerLost, boolean learnerReachable,
            String lastError) {
    }

    private static final class Outgoing {
        final String runId;
        final long seq;
        byte[] payload;
        Path file;
        long sentAtNanos;
        boolean sentBefore;

        Outgoing(String runId, long seq, byte[] payload, Path file, boolean sentBefore) {
            this.runId = runId;
            this.seq = seq;
            this.payload = payload;
            this.file = file;
            this.sentBefore = sentBefore;
        }

        String key() {
            return runId + "/" + seq;
        }
    }

    private final String robot;
    private final String runId;
    private final Settings settings;
    private final Transport transport;
    private final StepSpool spool;
    private final ArrayBlockingQueue<StepRecord> intake;
    private final ConcurrentLinkedQueue<LearnCodec.Ack> acks = new ConcurrentLinkedQueue<>();
    private final Deque<Outgoing> waiting = new ArrayDeque<>();
    private final Map<String, Outgoing> inFlight = new LinkedHashMap<>();
    private final List<StepRecord> current = new ArrayList<>();
    private final AtomicLong offered = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong ackErrors = new AtomicLong();
    private long currentStartNanos;
    private long seq;
    private volatile long batches;
    private volatile long sends;
    private volatile long resends;
    private volatile long acked;
    private volatile long duplicates;
    private volatile long refused;
    private volatile long stepsAccepted;
    private volatile long stepsStale;
    private volatile long spooled;
    private volatile long spoolDrained;
    private volatile long spoolPending;
    private volatile long spoolErrors;
    private volatile long learnerLost;
    private volatile boolean reachable = true;
    private volatile String lastError = "";
    private volatile boolean running;
    private Thread thread;

    /**
     * @param robot  this robot's id (written into every batch)
     * @param runId  this run's id, unique per robot ({@link #newRunId})
     * @param spool  where unacknowledged batches go; batches an earlier run left there are sent first
     */
    public StepUplink(String robot, String runId, Settings settings, Transport transport, StepSpool spool)
            throws IOException {
        if (robot == null || runId == null || runId.isEmpty() || settings == null || transport == null
                || spool == null) {
            throw new IllegalArgumentException("robot, run id, settings, transport and spool must be given");
        }
        this.robot = robot;
        this.runId = runId;
        this.settings = settings;
        this.transport = transport;
        this.spool = spool;
        this.intake = new ArrayBlockingQueue<>(settings.queueCapacity());
        for (Path p : spool.list()) {
            String n = p.getFileName().toString();
            n = n.substring(0, n.length() - StepSpool.SUFFIX.length());
            int dash = n.lastIndexOf('-');
            if (dash <= 0) {
                continue;
            }
            try {
                waiting.addLast(new Outgoing(n.substring(0, dash), Long.parseLong(n.substring(dash + 1)), null, p,
                        true));
            } catch (NumberFormatException e) {
                LOG.warn("spool file {} is not named <run>-<seq>.batch; left alone", p);
            }
        }
        spoolPending = waiting.size();
        if (!waiting.isEmpty()) {
            LOG.info("{} step batches of earlier runs in {} are sent first", waiting.size(), spool.dir());
        }
    }

    /** A run id that sorts by start time: local time to the millisecond and 4 random hex digits. */
    public static String newRunId() {
        return LocalDateTime.now().format(RUN_ID) + "-" + String.format("%04x",
                ThreadLocalRandom.current().nextInt(0x10000));
    }

    public String runId() {
        return runId;
    }

    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("already started");
        }
        running = true;
        thread = new Thread(this::loop, "farl-learn-uplink");
        thread.setDaemon(true);
        thread.start();
    }

    /** One executed step; any thread, never blocks. */
    public void offer(StepRecord step) {
        offered.incrementAndGet();
        while (!intake.offer(step)) {
            if (intake.poll() != null) {
                dropped.incrementAndGet();
            }
        }
    }

    /** An acknowledgement payload from the learner; any thread (the transport's). */
    public void onAck(byte[] payload) {
        try {
            acks.add(LearnCodec.decodeAck(robot, payload));
        } catch (IllegalArgumentException e) {
            ackErrors.incrementAndGet();
            lastError = "acknowledgement refused: " + e.getMessage();
        }
    }

    /** Whether the last batch sent was acknowledged in time (true until one was not). */
    public boolean learnerReachable() {
        return reachable;
    }

    private void loop() {
        while (running) {
            try {
                StepRecord s = intake.poll(5, TimeUnit.MILLISECONDS);
                if (s != null) {
                    take(s);
                }
                tick(false);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                lastError = e.toString();
                LOG.warn("step uplink: {}", e.toString(), e);
            }
        }
    }

    private void take(StepRecord s) {
        if (current.isEmpty()) {
            currentStartNanos = System.nanoTime();
        }
        current.add(s);
        intake.drainTo(current, Math.max(0, settings.batchSteps() - current.size()));
    }

    /** Seal, process acknowledgements and timeouts, spool what must be, send what may be. */
    private void tick(boolean sealNow) {
        long now = System.nanoTime();
        while (current.size() < settings.batchSteps() && !intake.isEmpty()) {
            take(intake.poll());
        }
        if (!current.isEmpty() && (sealNow || current.size() >= settings.batchSteps()
                || now - currentStartNanos >= settings.batchDelayNanos())) {
            seal();
        }
        for (LearnCodec.Ack a; (a = acks.poll()) != null; ) {
            acknowledged(a);
        }
        timeouts(now);
        spoolExcess();
        send(now);
        spoolPending = countSpooled();
    }

    private void seal() {
        long s = ++seq;
        byte[] payload = LearnCodec.batch(robot, runId, s, System.currentTimeMillis(), List.copyOf(current));
        current.clear();
        waiting.addLast(new Outgoing(runId, s, payload, null, false));
        batches++;
    }

    private void acknowledged(LearnCodec.Ack a) {
        Outgoing o = inFlight.remove(a.runId() + "/" + a.seq());
        if (o == null) {
            // a late answer to a batch already timed out and waiting again: it arrived after all
            o = removeWaiting(a.runId(), a.seq());
        }
        reachable = true;
        if (o == null) {
            return;
        }
        acked++;
        switch (a.status()) {
            case DUPLICATE -> duplicates++;
            case REFUSED -> {
                refused++;
                lastError = "learner refused batch " + o.key() + ": " + a.error();
                LOG.warn("learner refused step batch {}: {}", o.key(), a.error());
            }
            default -> {
                stepsAccepted += a.stepsAccepted();
                stepsStale += a.stepsStale();
            }
        }
        if (o.file != null) {
            try {
                spool.delete(o.file);
                spoolDrained++;
            } catch (IOException e) {
                spoolErrors++;
                lastError = "cannot delete " + o.file + ": " + e;
            }
        }
    }

    private Outgoing removeWaiting(String run, long s) {
        for (Iterator<Outgoing> it = waiting.iterator(); it.hasNext(); ) {
            Outgoing o = it.next();
            if (o.seq == s && o.runId.equals(run)) {
                it.remove();
                return o;
            }
        }
        return null;
    }

    private void timeouts(long now) {
        List<Outgoing> late = new ArrayList<>();
        for (Iterator<Outgoing> it = inFlight.values().iterator(); it.hasNext(); ) {
            Outgoing o = it.next();
            if (now - o.sentAtNanos > settings.ackTimeoutNanos()) {
                it.remove();
                late.add(o);
            }
        }
        if (late.isEmpty()) {
            return;
        }
        if (reachable) {
            learnerLost++;
            LOG.warn("the learner did not acknowledge step batch {} within {} ms; spooling until it answers",
                    late.get(0).key(), TimeUnit.NANOSECONDS.toMillis(settings.ackTimeoutNanos()));
        }
        reachable = false;
        for (int i = late.size() - 1; i >= 0; i--) {
            Outgoing o = late.get(i);
            toSpool(o);
            waiting.addFirst(o);
        }
    }

    /** Unsent batches beyond the memory bound, or any while the link is down or the learner silent, to disk. */
    private void spoolExcess() {
        boolean all = !transport.up() || !reachable;
        int inMemory = 0;
        for (Outgoing o : waiting) {
            if (o.file == null && (all || ++inMemory > settings.memoryBatches())) {
                toSpool(o);
            }
        }
    }

    private void toSpool(Outgoing o) {
        if (o.file != null) {
            return;
        }
        try {
            o.file = spool.write(o.runId, o.seq, o.payload);
            o.payload = null;
            spooled++;
        } catch (IOException e) {
            spoolErrors++;
            lastError = "cannot spool batch " + o.key() + ": " + e;
            LOG.error("{}", lastError);
        }
    }

    private void send(long now) {
        if (!transport.up()) {
            return;
        }
        // while the learner is silent, one batch at a time asks whether it is back
        int window = reachable ? settings.maxInFlight() : 1;
        while (inFlight.size() < window && !waiting.isEmpty()) {
            Outgoing o = waiting.pollFirst();
            byte[] payload = o.payload;
            if (payload == null) {
                try {
                    payload = spool.read(o.file);
                } catch (IOException e) {
                    spoolErrors++;
                    lastError = "cannot read spooled batch " + o.file + ": " + e;
                    LOG.error("{}; it stays in the spool", lastError);
                    continue;
                }
            }
            if (!transport.send(payload)) {
                waiting.addFirst(o);
                return;
            }
            sends++;
            if (o.sentBefore) {
                resends++;
            }
            o.sentBefore = true;
            o.sentAtNanos = now;
            inFlight.put(o.key(), o);
        }
    }

    private long countSpooled() {
        long n = 0;
        for (Outgoing o : waiting) {
            n += o.file != null ? 1 : 0;
        }
        for (Outgoing o : inFlight.values()) {
            n += o.file != null ? 1 : 0;
        }
        return n;
    }

    public Stats stats() {
        return new Stats(runId, offered.get(), dropped.get(), batches, sends, resends, acked, duplicates, refused,
                stepsAccepted, stepsStale, spooled, spoolDrained, spoolPending, spoolErrors, learnerLost, reachable,
                lastError);
    }

    /**
     * Stops taking steps, sends what is left and waits up to {@link Settings#closeGraceNanos()} for the
     * acknowledgements; everything still unacknowledged then goes to the spool for a later run.
     */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            running = false;
            t = thread;
        }
        if (t != null) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        long end = System.nanoTime() + settings.closeGraceNanos();
        do {
            tick(true);
        } while (!intake.isEmpty());
        while (reachable && transport.up() && (!waiting.isEmpty() || !inFlight.isEmpty())
                && System.nanoTime() < end) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            tick(true);
        }
        for (Outgoing o : inFlight.values()) {
            toSpool(o);
        }
        for (Outgoing o : waiting) {
            toSpool(o);
        }
        spoolPending = countSpooled();
        if (spoolPending > 0) {
            LOG.info("{} step batches left in {} for a later run", spoolPending, spool.dir());
        }
    }
}
