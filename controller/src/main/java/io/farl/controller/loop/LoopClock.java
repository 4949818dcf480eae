package io.farl.controller.loop;

/** Time for the {@link FixedRateRunner}: monotonic nanoseconds and a way to wait until a deadline. */
public interface LoopClock {

    /** Monotonic now, nanoseconds. */
    long nanoTime();

    /** Return at or after {@code deadlineNanos} (immediately when it has passed, or when interrupted). */
    void parkUntil(long deadlineNanos);

    /** {@link System#nanoTime()}, waiting with {@link java.util.concurrent.locks.LockSupport#parkNanos} only. */
    static LoopClock system() {
        return SystemLoopClock.PARK_ONLY;
    }

    /**
     * {@link System#nanoTime()}, parking until {@code spinNanos} before each deadline and spinning the rest: wakes
     * on time at the cost of up to {@code spinNanos} of busy CPU per cycle (e.g. 100–200 µs at 1 kHz, 10–20% of a
     * core).
     *
     * @param spinNanos how long before a deadline to stop parking; 0 for {@link #system()}
     */
    static LoopClock system(long spinNanos) {
        return spinNanos == 0 ? SystemLoopClock.PARK_ONLY : new SystemLoopClock(spinNanos);
    }
}
