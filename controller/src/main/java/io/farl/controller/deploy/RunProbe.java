package io.farl.controller.deploy;

import io.farl.controller.runtime.StepProbe;
import io.farl.safety.Mode;
import java.util.Arrays;

/**
 * Counts the modes written and keeps the observation → command latency of the first {@code capacity} steps
 * (here: the time {@code runOnce} took from its start, read included, to the write; an in-process robot's observation
 * is taken at the start of the step). Written by the control thread only; read after the runtime stopped, except
 * {@link #stopped()}.
 */
public final class RunProbe implements StepProbe {
    private final long[] modes = new long[Mode.values().length];
    private final long[] latency;
    private int samples;
    private volatile boolean stopped;

    public RunProbe(int capacity) {
        latency = new long[capacity];
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
        if (samples == 0) {
            return 0;
        }
        long[] sorted = Arrays.copyOf(latency, samples);
        Arrays.sort(sorted);
        return sorted[(int) Math.min(samples - 1, Math.floor(q * samples))];
    }
}
