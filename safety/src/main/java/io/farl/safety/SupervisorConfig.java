package io.farl.safety;

/**
 * Fault policy of the {@link Supervisor}.
 *
 * @param maxFaults        this many faults within {@code faultWindowNanos} latch STOPPED
 * @param faultWindowNanos sliding window for counting faults, nanoseconds
 * @param maxHoldNanos     a hold (any hold cause except the operator's reset, which waits for a start) that lasts
 *                         this long latches STOPPED ({@link Cause#HOLD_TIMEOUT}), nanoseconds
 */
public record SupervisorConfig(int maxFaults, long faultWindowNanos, long maxHoldNanos) {
    /** Hold timeout of {@link #SupervisorConfig(int, long)}: 5 s. */
    public static final long DEFAULT_MAX_HOLD_NANOS = 5_000_000_000L;

    public SupervisorConfig {
        if (maxFaults < 1) {
            throw new IllegalArgumentException("maxFaults must be >= 1, got " + maxFaults);
        }
        if (faultWindowNanos <= 0) {
            throw new IllegalArgumentException("faultWindowNanos must be > 0, got " + faultWindowNanos);
        }
        if (maxHoldNanos <= 0) {
            throw new IllegalArgumentException("maxHoldNanos must be > 0, got " + maxHoldNanos);
        }
    }

    /** With the default hold timeout {@value #DEFAULT_MAX_HOLD_NANOS} ns. */
    public SupervisorConfig(int maxFaults, long faultWindowNanos) {
        this(maxFaults, faultWindowNanos, DEFAULT_MAX_HOLD_NANOS);
    }
}
