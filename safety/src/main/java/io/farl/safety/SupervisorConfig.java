package io.farl.safety;

/**
 * Fault policy of the {@link Supervisor}.
 *
 * @param maxFaults        this many faults within {@code faultWindowNanos} latch STOPPED
 * @param faultWindowNanos sliding window for counting faults, nanoseconds
 */
public record SupervisorConfig(int maxFaults, long faultWindowNanos) {
    public SupervisorConfig {
        if (maxFaults < 1) {
            throw new IllegalArgumentException("maxFaults must be >= 1, got " + maxFaults);
        }
        if (faultWindowNanos <= 0) {
            throw new IllegalArgumentException("faultWindowNanos must be > 0, got " + faultWindowNanos);
        }
    }
}
