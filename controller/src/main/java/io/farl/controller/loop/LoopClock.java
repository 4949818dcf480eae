package io.farl.controller.loop;

/** Time for the {@link FixedRateRunner}: monotonic nanoseconds and a way to wait until a deadline. */
public interface LoopClock {

    /** Monotonic now, nanoseconds. */
    long nanoTime();

    /** Return at or after {@code deadlineNanos} (immediately when it has passed). */
    void parkUntil(long deadlineNanos);

    /** {@link System#nanoTime()} and {@link java.util.concurrent.locks.LockSupport#parkNanos}. */
    static LoopClock system() {
        return SystemLoopClock.INSTANCE;
    }
}
