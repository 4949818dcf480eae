package io.farl.controller.deploy;

import io.farl.controller.runtime.StepProbe;
import io.farl.safety.Mode;
import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * Counts the modes written and keeps two latencies of the first {@code capacity} steps: the step's own (the time
 * {@code runOnce} took from its start, read included, to the write) and the observation's (from the arrival of the
 * observation the step acted on, as stamped by the robot adapter on this machine's monotonic clock, to the write:
 * it adds the time the observation waited for the step). It also counts how old the proposal was that each step
 * acted on, in robot observations ({@link #proposalLag}): 0 when it was made for the step's own observation. Written
 * by the control thread only; read after the runtime stopped, except {@link #stopped()}.
 */
public final class RunProbe implements StepProbe {
    private final long[] modes = new long[Mode.values().length];
    private final long[] latency;
    private final long[] observationToCommand;
    private final LongSupplier observationStamp;
    private final LongSupplier proposalLag;
    private final long[] lags = new long[3];
    private int samples;
    private int observationSamples;
    private volatile boolean stopped;

    /** Without observation stamps: only the step latency. */
    public RunProbe(int capacity) {
        this(capacity, () -> Long.MIN_VALUE);
    }

    /**
     * @param observationStamp stamp of the observation the step just run acted on ({@code Long.MIN_VALUE}: none), on
     *                         the same clock as the runtime's; e.g. {@code ControlLoop::lastObservationStampNanos}
     */
    public RunProbe(int capacity, LongSupplier observationStamp) {
        this(capacity, observationStamp, () -> -1);
    }

    /**
     * @param proposalLag for the step just run, its observation's sequence minus that of the observation its proposal
     *                    was made for (negative: no proposal acted); e.g. {@code ControlLoop::lastProposalLag}
     */
    public RunProbe(int capacity, LongSupplier observationStamp, LongSupplier proposalLag) {
        latency = new long[capacity];
        observationToCommand = new long[capacity];
        this.observationStamp = observationStamp;
        this.proposalLag = proposalLag;
    }

    @Override
    public void onStep(long nowNanos, Mode written, long startedNanos, long endedNanos) {
        modes[written.ordinal()]++;
        if (written == Mode.STOPPED) {
            stopped = true;
        }
        if (samples < latency.length) {
            latency[samples++] = endedNanos - startedNanos;
        }
        long stamp = observationStamp.getAsLong();
        if (stamp != Long.MIN_VALUE && observationSamples < observationToCommand.length) {
            observationToCommand[observationSamples++] = endedNanos - stamp;
        }
        long lag = proposalLag.getAsLong();
        if (lag >= 0) {
            lags[(int) Math.min(lag, 2)]++;
        }
    }

    /**
     * Steps that acted on a proposal made {@code lag} observations before their own: 0 (for the step's own
     * observation), 1 (for the one before) or 2 (two or more before).
     */
    public long proposalLag(int lag) {
        return lags[lag];
    }

    /** Observation arrival → command written, percentile {@code q} in [0, 1], nanoseconds; 0 without samples. */
    public long observationToCommandPercentile(double q) {
        return percentile(observationToCommand, observationSamples, q);
    }

    /** True once a step wrote STOPPED (the supervisor latched it; only an operator reset leaves it). Any thread. */
    public boolean stopped() {
        return stopped;
    }

    public long steps(Mode m) {
        return modes[m.ordinal()];
    }

    /** Latency percentile {@code q} in [0, 1], nanoseconds; 0 without samples. */
    public long latencyPercentile(double q) {
        return percentile(latency, samples, q);
    }

    private static long percentile(long[] values, int n, double q) {
        if (n == 0) {
            return 0;
        }
        long[] sorted = Arrays.copyOf(values, n);
        Arrays.sort(sorted);
        return sorted[(int) Math.min(n - 1, Math.floor(q * n))];
    }
}
