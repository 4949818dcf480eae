package io.farl.controller.remote;

import io.farl.controller.loop.Proposal;
import io.farl.controller.loop.ProposalSource;
import io.farl.protocol.v1.ProposalReply;
import io.farl.robot.api.Observation;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ProposalSource} answered by a remote inference server ({@code farl serve}), with the robot side staying in
 * charge of time: each request waits at most {@link RemoteSettings#deadlineNanos()}; a miss, a refusal, a bad reply,
 * an open circuit or a full bulkhead is answered by the configured fallback on the same call, so the loop has a
 * proposal (or, for HOLD, knowingly none) within the control period. Every fallback is counted by cause.
 *
 * <p>The link sits behind a Resilience4j {@link CircuitBreaker} (misses and refusals are failures; while it is open no
 * request is sent, so a dead or overloaded workstation is not waited for at every step) and a {@link Bulkhead}
 * bounding the requests awaiting a reply. The transport sends on its own I/O threads and delivers replies through
 * {@link #onReply} on them; {@link #propose} runs on the policy thread only, never on the control thread.
 */
public final class RemoteProposalSource implements ProposalSource {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteProposalSource.class);

    /** Sends one encoded request; false when nothing was sent (link down). Must not block for long. */
    @FunctionalInterface
    public interface Transport {
        boolean send(long requestId, byte[] payload);
    }

    /** Why a fallback stood in for the remote decision. */
    public enum Cause {
        /** No reply within the deadline. */
        DEADLINE,
        /** The circuit breaker was open (or its half-open trials were taken): nothing was sent. */
        CIRCUIT_OPEN,
        /** The bulkhead was full: nothing was sent. */
        BULKHEAD_FULL,
        /** The transport could not send (link down). */
        NOT_SENT,
        /** The server answered LATE: its queue outlasted the budget. */
        SERVER_LATE,
        /** The server refused the request (ERROR). */
        SERVER_ERROR,
        /** The reply failed a check (parse, sizes, finiteness, another observation). */
        BAD_REPLY
    }

    private static final class RemoteFailure extends RuntimeException {
        RemoteFailure(Cause cause) {
            super(cause.name(), null, false, false);
        }
    }

    private final String robot;
    private final int actionSize;
    private final RemoteSettings settings;
    private final Transport transport;
    private final ProposalSource fallback;
    private final CircuitBreaker breaker;
    private final Bulkhead bulkhead;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final EnumMap<Cause, AtomicLong> fallbacks = new EnumMap<>(Cause.class);
    private final AtomicLong circuitOpenings = new AtomicLong();
    private final AtomicLong lateReplies = new AtomicLong();
    private final LatencySamples roundTrips = new LatencySamples(1 << 16);
    private long pendingId = -1;
    private byte[] pendingPayload;
    private long pendingArrivalNanos;
    private long nextId;
    private volatile long requests;
    private volatile long remoteDecisions;
    private volatile long fallbackProposals;
    private volatile long batchedReplies;
    private volatile long batchSizeSum;
    private volatile String lastError = "";

    /**
     * @param robot      the robot id the requests name
     * @param actionSize the robot's action size (replies are checked against it)
     * @param fallback   the local stand-in for RECOVERY and LOCAL; ignored (may be null) for HOLD
     */
    public RemoteProposalSource(String robot, int actionSize, RemoteSettings settings, Transport transport,
            ProposalSource fallback) {
        if (robot == null || transport == null || settings == null || actionSize < 1) {
            throw new IllegalArgumentException("robot, transport, settings and an action size >= 1 must be given");
        }
        if (settings.fallback() != RemoteSettings.Fallback.HOLD && fallback == null) {
            throw new IllegalArgumentException("fallback " + settings.fallback() + " needs a local proposal source");
        }
        this.robot = robot;
        this.actionSize = actionSize;
        this.settings = settings;
        this.transport = transport;
        this.fallback = settings.fallback() == RemoteSettings.Fallback.HOLD ? null : fallback;
        for (Cause c : Cause.values()) {
            fallbacks.put(c, new AtomicLong());
        }
        this.breaker = CircuitBreaker.of("farl-inference-" + robot, CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(settings.slidingWindowCalls())
                .minimumNumberOfCalls(settings.minimumCalls())
                .failureRateThreshold(settings.failureRatePercent())
                .waitDurationInOpenState(Duration.ofNanos(settings.openNanos()))
                .permittedNumberOfCallsInHalfOpenState(settings.halfOpenCalls())
                .writableStackTraceEnabled(false)
                .build());
        this.breaker.getEventPublisher().onStateTransition(e -> {
            if (e.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
                circuitOpenings.incrementAndGet();
                LOG.warn("remote inference for {}: circuit open ({}); fallback {} until trial calls succeed", robot,
                        e.getStateTransition(), settings.fallback());
            } else if (e.getStateTransition().getToState() == CircuitBreaker.State.CLOSED) {
                LOG.info("remote inference for {}: circuit closed again", robot);
            }
        });
        this.bulkhead = Bulkhead.of("farl-inference-" + robot, BulkheadConfig.custom()
                .maxConcurrentCalls(settings.maxInFlight()).maxWaitDuration(Duration.ZERO)
                .writableStackTraceEnabled(false).build());
    }

    /** A reply from the transport (its I/O thread): kept when it answers the request now awaited, else counted. */
    public void onReply(long requestId, byte[] payload) {
        lock.lock();
        try {
            if (requestId == pendingId && pendingPayload == null) {
                pendingPayload = payload;
                pendingArrivalNanos = System.nanoTime();
                arrived.signalAll();
                return;
            }
        } finally {
            lock.unlock();
        }
        lateReplies.incrementAndGet();
    }

    @Override
    public Proposal propose(Observation observation) {
        long start = System.nanoTime();
        if (!breaker.tryAcquirePermission()) {
            return fallback(observation, Cause.CIRCUIT_OPEN);
        }
        if (!bulkhead.tryAcquirePermission()) {
            breaker.releasePermission();
            return fallback(observation, Cause.BULKHEAD_FULL);
        }
        try {
            return remote(observation, start);
        } finally {
            lock.lock();
            try {
                pendingId = -1;
                pendingPayload = null;
            } finally {
                lock.unlock();
            }
            bulkhead.onComplete();
        }
    }

    private Proposal remote(Observation observation, long start) {
        long id = ++nextId;
        lock.lock();
        try {
            pendingId = id;
            pendingPayload = null;
        } finally {
            lock.unlock();
        }
        requests++;
        byte[] request = InferenceCodec.request(robot, id, observation, settings.deadlineNanos());
        if (!transport.send(id, request)) {
            return failed(observation, start, Cause.NOT_SENT, "the link is down");
        }
        byte[] payload = await(start + settings.deadlineNanos());
        // the round trip ends when the reply arrived, not when this thread woke up to read it
        long elapsed = arrivalNanos() - start;
        if (payload != null && elapsed > settings.deadlineNanos()) {
            lateReplies.incrementAndGet();
            payload = null;
        }
        if (payload == null) {
            return failed(observation, start, Cause.DEADLINE, "no reply within "
                    + settings.deadlineNanos() / 1_000_000.0 + " ms");
        }
        InferenceCodec.Reply reply;
        try {
            reply = InferenceCodec.decodeReply(robot, payload, actionSize);
        } catch (IllegalArgumentException e) {
            return failed(observation, start, Cause.BAD_REPLY, e.getMessage());
        }
        if (reply.status() == ProposalReply.Status.LATE) {
            return failed(observation, start, Cause.SERVER_LATE, "server: " + reply.error());
        }
        if (reply.status() != ProposalReply.Status.OK) {
            return failed(observation, start, Cause.SERVER_ERROR, "server: " + reply.error());
        }
        Proposal p = reply.proposal();
        if (p.stampNanos() != observation.stampNanos() || p.observationSequence() != observation.sequence()) {
            return failed(observation, start, Cause.BAD_REPLY, "reply answers observation " + p.observationSequence()
                    + ", asked for " + observation.sequence());
        }
        breaker.onSuccess(elapsed, TimeUnit.NANOSECONDS);
        roundTrips.add(elapsed);
        remoteDecisions++;
        batchedReplies++;
        batchSizeSum += reply.batchSize();
        return p;
    }

    private long arrivalNanos() {
        lock.lock();
        try {
            return pendingPayload == null ? System.nanoTime() : pendingArrivalNanos;
        } finally {
            lock.unlock();
        }
    }

    private byte[] await(long deadline) {
        lock.lock();
        try {
            while (pendingPayload == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                try {
                    arrived.awaitNanos(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
            return pendingPayload;
        } finally {
            lock.unlock();
        }
    }

    private Proposal failed(Observation observation, long start, Cause cause, String why) {
        breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, new RemoteFailure(cause));
        lastError = cause + ": " + why;
        return fallback(observation, cause);
    }

    private Proposal fallback(Observation observation, Cause cause) {
        long n = fallbacks.get(cause).incrementAndGet();
        if (Long.bitCount(n) == 1) {
            LOG.warn("remote inference for {}: fallback {} ({} x {} so far)", robot, settings.fallback(), n, cause);
        }
        if (fallback == null) {
            return null;
        }
        Proposal p = fallback.propose(observation);
        if (p != null) {
            fallbackProposals++;
        }
        return p;
    }

    public CircuitBreaker.State circuitState() {
        return breaker.getState();
    }

    /** What the remote link did so far. */
    public Stats stats() {
        Map<String, Long> byCause = new LinkedHashMap<>();
        long total = 0;
        for (Map.Entry<Cause, AtomicLong> e : fallbacks.entrySet()) {
            long v = e.getValue().get();
            total += v;
            if (v > 0) {
                byCause.put(e.getKey().name().toLowerCase(java.util.Locale.ROOT), v);
            }
        }
        long n = batchedReplies;
        return new Stats(settings.fallback().name().toLowerCase(java.util.Locale.ROOT),
                settings.deadlineNanos(), requests, remoteDecisions, total, byCause, fallbackProposals,
                circuitOpenings.get(), breaker.getState().name().toLowerCase(java.util.Locale.ROOT), lateReplies.get(),
                roundTrips.percentile(0.5), roundTrips.percentile(0.99), roundTrips.percentile(1.0),
                n == 0 ? 0 : (double) batchSizeSum / n, lastError);
    }

    /**
     * @param fallback          the configured fallback (recovery, local, hold)
     * @param deadlineNanos     the per-request deadline
     * @param requests          requests sent or attempted
     * @param remoteDecisions   proposals that came from the server
     * @param fallbacks         times the fallback stood in (all causes)
     * @param fallbacksByCause  the same by cause (deadline, circuit_open, bulkhead_full, not_sent, server_late,
     *                          server_error, bad_reply); causes that never happened are left out
     * @param fallbackProposals fallbacks that produced a proposal (all but HOLD's)
     * @param circuitOpenings   transitions of the circuit breaker into OPEN
     * @param circuitState      the circuit's state at the end
     * @param lateReplies       replies that arrived after their request was given up (or were never asked for)
     * @param remoteP50Nanos    round trip of the remote decisions (request sent → reply decoded), median
     * @param remoteP99Nanos    the same, 99th percentile
     * @param remoteMaxNanos    the same, maximum of the kept samples
     * @param meanBatchSize     mean number of requests the server evaluated together with each answered one
     * @param lastError         the latest failure, empty when none
     */
    public record Stats(String fallback, long deadlineNanos, long requests, long remoteDecisions, long fallbacks,
            Map<String, Long> fallbacksByCause, long fallbackProposals, long circuitOpenings, String circuitState,
            long lateReplies, long remoteP50Nanos, long remoteP99Nanos, long remoteMaxNanos, double meanBatchSize,
            String lastError) {
        public Stats {
            fallbacksByCause = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fallbacksByCause));
        }
    }
}
