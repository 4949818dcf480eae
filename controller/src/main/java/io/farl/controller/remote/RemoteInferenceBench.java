package io.farl.controller.remote;

import io.farl.robot.api.Observation;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Remote inference under load, for {@code farl bench remote}: N robots, each a {@link RemoteProposalSource} on its own
 * thread asking once per control period (fixed-rate schedule, observations taken in turn from a pool of real ones),
 * against one {@link InferenceServer}. What a robot's policy thread sees is timed around {@code propose} (a fallback
 * answers in the same call); the server's batches and evaluation time come from its own counters. One configuration
 * per call, with fresh sources and server, so nothing carries over.
 */
public final class RemoteInferenceBench {

    /** One configuration's outcome. */
    public record Result(double rateHz, int robots, boolean aligned, int maxBatch, long batchWindowNanos, double seconds,
            long decisions, long remoteDecisions, long fallbacks, double fallbackRate,
            java.util.Map<String, Long> fallbacksByCause, long circuitOpenings, long deadlineNanos, long proposeP50Nanos, long proposeP99Nanos, long proposeMaxNanos, long remoteP99MaxNanos,
            long overruns, long serverAnswered, long serverLate, long batches, double meanBatchSize,
            long computePerBatchP50Nanos, double computePerRequestNanos, long serverTimeP50Nanos,
            long serverTimeP99Nanos) {
    }

    /** A configuration's robots and server, built by the caller (transport wiring) and closed after the run. */
    public interface Setup extends AutoCloseable {
        List<RemoteProposalSource> robots();

        InferenceServer server();

        /** Whether every robot's link is up. */
        boolean ready();

        @Override
        void close();
    }

    private RemoteInferenceBench() {
    }

    /**
     * Runs {@code setup}'s robots at {@code rateHz} for {@code warmupNanos} (not counted: the first calls compile), then
     * for {@code measureNanos}.
     */
    /**
     * @param aligned all robots ask at the same instant of each period (a burst: the case batching is for); otherwise
     *                spread evenly over the period, as unsynchronised robots are
     */
    public static Result run(Setup setup, double rateHz, boolean aligned, int maxBatch, long batchWindowNanos,
            List<Observation> pool, long warmupNanos, long measureNanos) throws InterruptedException {
        long period = (long) (1e9 / rateHz);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!setup.ready() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        if (!setup.ready()) {
            throw new IllegalStateException("the robots' links did not come up within 10 s");
        }
        List<RemoteProposalSource> robots = setup.robots();
        phase(robots, period, aligned, pool, warmupNanos, null, new long[1]);
        InferenceServer.Stats before = setup.server().stats();
        long[] remoteBefore = new long[robots.size()];
        long[] fallbacksBefore = new long[robots.size()];
        long[] openingsBefore = new long[robots.size()];
        java.util.Map<String, Long> causesBefore = new java.util.TreeMap<>();
        for (int i = 0; i < robots.size(); i++) {
            RemoteProposalSource.Stats s = robots.get(i).stats();
            remoteBefore[i] = s.remoteDecisions();
            fallbacksBefore[i] = s.fallbacks();
            openingsBefore[i] = s.circuitOpenings();
            s.fallbacksByCause().forEach((k, v) -> causesBefore.merge(k, v, Long::sum));
        }
        LatencySamples propose = new LatencySamples(1 << 20);
        long[] overruns = new long[1];
        long t0 = System.nanoTime();
        phase(robots, period, aligned, pool, measureNanos, propose, overruns);
        double seconds = (System.nanoTime() - t0) / 1e9;
        InferenceServer.Stats after = setup.server().stats();
        long remote = 0;
        long fallbacks = 0;
        long remoteP99Max = 0;
        long openings = 0;
        java.util.Map<String, Long> causes = new java.util.TreeMap<>();
        for (int i = 0; i < robots.size(); i++) {
            RemoteProposalSource.Stats s = robots.get(i).stats();
            remote += s.remoteDecisions() - remoteBefore[i];
            fallbacks += s.fallbacks() - fallbacksBefore[i];
            openings += s.circuitOpenings() - openingsBefore[i];
            s.fallbacksByCause().forEach((k, v) -> causes.merge(k, v, Long::sum));
            remoteP99Max = Math.max(remoteP99Max, s.remoteP99Nanos());
        }
        causesBefore.forEach((k, v) -> causes.merge(k, -v, Long::sum));
        causes.values().removeIf(v -> v == 0);
        long decisions = propose.count();
        long batches = after.batches() - before.batches();
        long answered = after.answered() - before.answered();
        double meanBatch = batches == 0 ? 0 : (double) answered / batches;
        return new Result(rateHz, robots.size(), aligned, maxBatch, batchWindowNanos, seconds, decisions, remote, fallbacks,
                decisions == 0 ? 0 : (double) fallbacks / decisions, causes, openings,
                robots.get(0).stats().deadlineNanos(),
                propose.percentile(0.5), propose.percentile(0.99), propose.percentile(1.0), remoteP99Max, overruns[0],
                answered, after.late() - before.late(), batches, meanBatch, after.computeP50Nanos(),
                meanBatch == 0 ? 0 : after.computeP50Nanos() / meanBatch, after.serverP50Nanos(),
                after.serverP99Nanos());
    }

    /** Every robot proposes once per period on its own thread for {@code nanos}. */
    private static void phase(List<RemoteProposalSource> robots, long period, boolean aligned, List<Observation> pool,
            long nanos,
            LatencySamples samples, long[] overruns) throws InterruptedException {
        if (pool.isEmpty() || pool.stream().anyMatch(java.util.Objects::isNull)) {
            throw new IllegalArgumentException("the observation pool must hold observations");
        }
        CountDownLatch done = new CountDownLatch(robots.size());
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
        List<Thread> threads = new ArrayList<>();
        for (int r = 0; r < robots.size(); r++) {
            RemoteProposalSource source = robots.get(r);
            int offset = r * 7919;
            long first = aligned ? start : start + (period * r) / robots.size();
            Thread t = new Thread(() -> {
                try {
                    long next = first;
                    long end = start + nanos;
                    int k = 0;
                    while (next < end) {
                        LockSupport.parkNanos(next - System.nanoTime());
                        Observation o = pool.get((offset + k++) % pool.size());
                        Observation now = new Observation(System.nanoTime(), k, o.values());
                        long t0 = System.nanoTime();
                        source.propose(now);
                        long took = System.nanoTime() - t0;
                        if (samples != null) {
                            samples.add(took);
                            if (took > period) {
                                synchronized (overruns) {
                                    overruns[0]++;
                                }
                            }
                        }
                        next += period;
                    }
                } finally {
                    done.countDown();
                }
            }, "farl-bench-robot-" + r);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        done.await();
    }
}
