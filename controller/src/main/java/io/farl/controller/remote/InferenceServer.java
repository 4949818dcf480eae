package io.farl.controller.remote;

import io.farl.controller.loop.Proposal;
import io.farl.protocol.v1.ProposalReply;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workstation's inference service ({@code farl serve}): requests from any number of robots are queued as they
 * arrive (on the transport's threads) and evaluated on one worker thread, {@code farl-serve-batch}, in batches: the
 * first request opens a window of {@link ServerSettings#batchWindowNanos()}; the batch closes when the window ends,
 * when it holds {@link ServerSettings#maxBatch()} requests, or when every expected robot has a request in it. The
 * {@link BatchDecider} evaluates the whole batch in one call.
 *
 * <p>A request still queued when its budget ran out is answered LATE without being evaluated (the robot has already
 * fallen back); a request that fails its checks, or comes from a robot not served, is answered ERROR naming the
 * problem; a full queue answers ERROR "overloaded". Nothing the server is sent can make it throw.
 */
public final class InferenceServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InferenceServer.class);

    /** Evaluates a batch of checked requests in one call; runs on the batch thread only. */
    public interface BatchDecider {
        /**
         * @param batch the requests, at least one
         * @param out   receives the proposal for {@code batch.get(i)} at {@code i}; each carries its request's
         *              observation stamp and sequence
         */
        void decide(List<InferenceCodec.Request> batch, Proposal[] out);

        /** The observation size of the served models. */
        int observationSize();
    }

    /**
     * @param batchWindowNanos how long the first request of a batch waits for others, >= 0
     * @param maxBatch         most requests per batch, >= 1
     * @param queueCapacity    requests waiting at most, >= maxBatch
     * @param robots           robot ids served (requests from others are refused); empty for any
     * @param expectedRobots   a batch closes early once each of these has a request in it; empty for none
     */
    public record ServerSettings(long batchWindowNanos, int maxBatch, int queueCapacity, Set<String> robots,
            Set<String> expectedRobots) {
        public ServerSettings {
            if (batchWindowNanos < 0 || maxBatch < 1 || queueCapacity < maxBatch) {
                throw new IllegalArgumentException("need batchWindowNanos >= 0, maxBatch >= 1, queueCapacity >= "
                        + "maxBatch");
            }
            robots = Set.copyOf(robots);
            expectedRobots = Set.copyOf(expectedRobots);
        }
    }

    private record Pending(String robot, byte[] payload, Consumer<byte[]> reply, long arrivalNanos) {
    }

    private final BatchDecider decider;
    private final ServerSettings settings;
    private final BlockingQueue<Pending> queue;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong late = new AtomicLong();
    private final AtomicLong overloaded = new AtomicLong();
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong decideErrors = new AtomicLong();
    private final AtomicLongArray batchSizes;
    private final LatencySamples computePerBatch = new LatencySamples(1 << 16);
    private final LatencySamples serverTimes = new LatencySamples(1 << 16);
    private volatile String lastError = "";
    private volatile boolean running;
    private Thread worker;

    public InferenceServer(BatchDecider decider, ServerSettings settings) {
        if (decider == null || settings == null) {
            throw new IllegalArgumentException("decider and settings must be given");
        }
        this.decider = decider;
        this.settings = settings;
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        this.batchSizes = new AtomicLongArray(settings.maxBatch() + 1);
    }

    public synchronized void start() {
        if (worker != null) {
            throw new IllegalStateException("already started");
        }
        running = true;
        worker = new Thread(this::loop, "farl-serve-batch");
        worker.setDaemon(true);
        worker.start();
    }

    /** A request from {@code robot}'s request topic; any thread, never blocks. */
    public void submit(String robot, byte[] payload, Consumer<byte[]> reply) {
        requests.incrementAndGet();
        if (!settings.robots().isEmpty() && !settings.robots().contains(robot)) {
            refused.incrementAndGet();
            reply.accept(InferenceCodec.undecodable(robot, "robot " + robot + " is not served here"));
            return;
        }
        if (!queue.offer(new Pending(robot, payload, reply, System.nanoTime()))) {
            overloaded.incrementAndGet();
            reply.accept(InferenceCodec.undecodable(robot, "overloaded: " + settings.queueCapacity()
                    + " requests already queued"));
        }
    }

    private void loop() {
        List<Pending> batch = new ArrayList<>(settings.maxBatch());
        while (running) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.clear();
                batch.add(first);
                collect(batch, first.arrivalNanos() + settings.batchWindowNanos());
                evaluate(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                decideErrors.incrementAndGet();
                lastError = e.toString();
                LOG.warn("inference batch failed: {}", e.toString(), e);
            }
        }
    }

    private void collect(List<Pending> batch, long windowEnd) throws InterruptedException {
        Set<String> present = new HashSet<>();
        present.add(batch.get(0).robot());
        while (batch.size() < settings.maxBatch()) {
            if (!settings.expectedRobots().isEmpty() && present.containsAll(settings.expectedRobots())) {
                break;
            }
            long left = windowEnd - System.nanoTime();
            Pending p = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : queue.poll();
            if (p == null) {
                break;
            }
            batch.add(p);
            present.add(p.robot());
        }
    }

    private void evaluate(List<Pending> batch) {
        long now = System.nanoTime();
        List<InferenceCodec.Request> ok = new ArrayList<>(batch.size());
        List<Pending> okPending = new ArrayList<>(batch.size());
        for (Pending p : batch) {
            InferenceCodec.Request r;
            try {
                r = InferenceCodec.decodeRequest(p.robot(), p.payload(), decider.observationSize());
            } catch (IllegalArgumentException e) {
                refused.incrementAndGet();
                lastError = p.robot() + ": " + e.getMessage();
                p.reply().accept(InferenceCodec.undecodable(p.robot(), e.getMessage()));
                continue;
            }
            if (now - p.arrivalNanos() > r.budgetNanos()) {
                late.incrementAndGet();
                p.reply().accept(InferenceCodec.refusal(r, ProposalReply.Status.LATE, "queued "
                        + (now - p.arrivalNanos()) / 1000 + " us, budget " + r.budgetNanos() / 1000 + " us",
                        now - p.arrivalNanos()));
                continue;
            }
            ok.add(r);
            okPending.add(p);
        }
        if (ok.isEmpty()) {
            return;
        }
        Proposal[] out = new Proposal[ok.size()];
        long t0 = System.nanoTime();
        try {
            decider.decide(ok, out);
        } catch (RuntimeException e) {
            decideErrors.incrementAndGet();
            lastError = "evaluation failed: " + e;
            LOG.warn("inference batch of {} failed: {}", ok.size(), e.toString());
            for (int i = 0; i < ok.size(); i++) {
                okPending.get(i).reply().accept(InferenceCodec.refusal(ok.get(i), ProposalReply.Status.ERROR,
                        "evaluation failed: " + e.getMessage(), System.nanoTime() - okPending.get(i).arrivalNanos()));
            }
            return;
        }
        long compute = System.nanoTime() - t0;
        computePerBatch.add(compute);
        batches.incrementAndGet();
        batchSizes.incrementAndGet(ok.size());
        for (int i = 0; i < ok.size(); i++) {
            Pending p = okPending.get(i);
            long server = System.nanoTime() - p.arrivalNanos();
            if (out[i] == null) {
                refused.incrementAndGet();
                p.reply().accept(InferenceCodec.refusal(ok.get(i), ProposalReply.Status.ERROR, "no proposal", server));
                continue;
            }
            // counted before the reply goes out: whoever the reply wakes sees it counted
            serverTimes.add(server);
            answered.incrementAndGet();
            p.reply().accept(InferenceCodec.reply(ok.get(i), out[i], ok.size(), server, compute));
        }
    }

    /** What the server did so far. */
    public Stats stats() {
        long[] sizes = new long[batchSizes.length()];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = batchSizes.get(i);
        }
        return new Stats(requests.get(), answered.get(), refused.get(), late.get(), overloaded.get(),
                batches.get(), decideErrors.get(), sizes, computePerBatch.percentile(0.5),
                computePerBatch.percentile(0.99), serverTimes.percentile(0.5), serverTimes.percentile(0.99),
                lastError);
    }

    /**
     * @param batchSizes         batches evaluated, by size (index = requests in the batch)
     * @param computeP50Nanos    time to evaluate one batch, median
     * @param serverP50Nanos     arrival of a request → its reply handed to the transport, median
     */
    public record Stats(long requests, long answered, long refused, long late, long overloaded, long batches,
            long evaluationErrors, long[] batchSizes, long computeP50Nanos, long computeP99Nanos,
            long serverP50Nanos, long serverP99Nanos, String lastError) {
    }

    @Override
    public void close() {
        Thread w;
        synchronized (this) {
            running = false;
            w = worker;
        }
        if (w != null) {
            w.interrupt();
            try {
                w.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
