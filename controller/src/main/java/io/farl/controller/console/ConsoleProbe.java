package io.farl.controller.console;

import io.farl.controller.runtime.StepProbe;
import io.farl.safety.Mode;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A {@link StepProbe} that counts, on the control thread, what the console and the metrics read from other threads:
 * steps by written mode, the step latency (last, maximum, sum and count) and when STOPPED was first written after
 * a run of other modes. It passes every step on to a delegate (e.g. the run's own probe) first.
 *
 * <p>The control thread is the only writer; each figure is published with a release store ({@code lazySet}: no
 * fence, no lock, no allocation), so a reader on another thread sees each figure on its own, possibly one step old.
 */
public final class ConsoleProbe implements StepProbe {
    private static final int MODES = Mode.values().length;
    private static final int COUNT = MODES;
    private static final int LATENCY_SUM = MODES + 1;
    private static final int LATENCY_MAX = MODES + 2;
    private static final int LATENCY_LAST = MODES + 3;
    private static final int LAST_MODE = MODES + 4;
    private static final int STOPPED_AT = MODES + 5;
    private static final int STOPPED_STEP = MODES + 6;
    private static final Mode[] MODE_VALUES = Mode.values();

    private final StepProbe delegate;
    private final AtomicLongArray figures = new AtomicLongArray(MODES + 7);

    /** @param delegate called first for every step; may be null */
    public ConsoleProbe(StepProbe delegate) {
        this.delegate = delegate;
        figures.set(LAST_MODE, -1);
        figures.set(STOPPED_AT, Long.MIN_VALUE);
    }

    @Override
    public void onStep(long nowNanos, Mode written, long startedNanos, long endedNanos) {
        if (delegate != null) {
            delegate.onStep(nowNanos, written, startedNanos, endedNanos);
        }
        int m = written.ordinal();
        long latency = endedNanos - startedNanos;
        figures.lazySet(m, figures.get(m) + 1);
        figures.lazySet(LATENCY_SUM, figures.get(LATENCY_SUM) + latency);
        if (latency > figures.get(LATENCY_MAX)) {
            figures.lazySet(LATENCY_MAX, latency);
        }
        figures.lazySet(LATENCY_LAST, latency);
        if (written == Mode.STOPPED && figures.get(LAST_MODE) != m) {
            figures.lazySet(STOPPED_AT, endedNanos);
            figures.lazySet(STOPPED_STEP, figures.get(COUNT) + 1);
        }
        figures.lazySet(LAST_MODE, m);
        figures.lazySet(COUNT, figures.get(COUNT) + 1);
    }

    /** Steps that wrote {@code mode}'s command. Any thread. */
    public long steps(Mode mode) {
        return figures.get(mode.ordinal());
    }

    /** Steps seen. Any thread. */
    public long steps() {
        return figures.get(COUNT);
    }

    /** Sum of the step latencies (step start, read included, → command written), nanoseconds. Any thread. */
    public long latencySumNanos() {
        return figures.get(LATENCY_SUM);
    }

    /** Largest step latency so far, nanoseconds. Any thread. */
    public long latencyMaxNanos() {
        return figures.get(LATENCY_MAX);
    }

    /** Latency of the latest step, nanoseconds. Any thread. */
    public long latencyLastNanos() {
        return figures.get(LATENCY_LAST);
    }

    /** Mode written by the latest step, or null before the first. Any thread. */
    public Mode lastMode() {
        long m = figures.get(LAST_MODE);
        return m < 0 ? null : MODE_VALUES[(int) m];
    }

    /** {@link #steps()} as it was after the latest switch to STOPPED was written; 0 before. Any thread. */
    public long stoppedAtStep() {
        return figures.get(STOPPED_STEP);
    }

    /**
     * Loop-clock time at which the latest switch to STOPPED was written (the end of that step), or
     * {@link Long#MIN_VALUE} when no step wrote STOPPED yet. Any thread.
     */
    public long stoppedAtNanos() {
        return figures.get(STOPPED_AT);
    }
}
