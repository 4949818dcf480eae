package io.farl.safety;

/**
 * Age limits of the {@link FreshnessWatchdog}, all in nanoseconds of the loop's monotonic clock.
 *
 * @param maxObservationAgeNanos   observation older than this → HOLD
 * @param maxProposalAgeNanos      policy proposal older than this at the deadline → fallback
 * @param maxFallbackAgeNanos      fallback recovery action older than this → HOLD
 * @param maxHumanCommandAgeNanos  teleoperation command older than this → HOLD
 * @param maxFutureSkewNanos       stamps up to this far ahead of the loop clock are accepted
 */
public record WatchdogConfig(long maxObservationAgeNanos, long maxProposalAgeNanos, long maxFallbackAgeNanos,
        long maxHumanCommandAgeNanos, long maxFutureSkewNanos) {
    public WatchdogConfig {
        positive("maxObservationAgeNanos", maxObservationAgeNanos);
        positive("maxProposalAgeNanos", maxProposalAgeNanos);
        positive("maxFallbackAgeNanos", maxFallbackAgeNanos);
        positive("maxHumanCommandAgeNanos", maxHumanCommandAgeNanos);
        if (maxFutureSkewNanos < 0) {
            throw new IllegalArgumentException("maxFutureSkewNanos must be >= 0, got " + maxFutureSkewNanos);
        }
    }

    private static void positive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be > 0, got " + value);
        }
    }

    /**
     * Same limit for every channel, and stamps up to a quarter of it ahead of the loop clock accepted: producers on
     * other threads or machines stamp with clocks that are never exactly in step with the loop's.
     */
    public static WatchdogConfig uniform(long maxAgeNanos) {
        return new WatchdogConfig(maxAgeNanos, maxAgeNanos, maxAgeNanos, maxAgeNanos, maxAgeNanos / 4);
    }
}
