package io.farl.robot.api;

import java.util.Arrays;

/**
 * One observation vector, stamped by its producer.
 *
 * @param stampNanos monotonic time ({@link System#nanoTime()} domain, or the simulated clock of a simulator)
 *                   at which the sample was taken
 * @param sequence   producer sequence number, strictly increasing within one activation
 * @param values     observation laid out as {@link RobotDescription#observationLayout()}; not copied, treat as
 *                   read-only
 */
public record Observation(long stampNanos, long sequence, double[] values) {
    public Observation {
        if (values == null) {
            throw new IllegalArgumentException("observation values must not be null");
        }
    }

    /** Age of this sample at {@code nowNanos}, in nanoseconds. */
    public long ageNanos(long nowNanos) {
        return nowNanos - stampNanos;
    }

    /** Index of the first non-finite value, or -1 when all are finite. */
    public int firstNonFinite() {
        return Values.firstNonFinite(values);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Observation other && stampNanos == other.stampNanos && sequence == other.sequence
                && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
        return 31 * Long.hashCode(sequence) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "Observation[stampNanos=" + stampNanos + ", sequence=" + sequence + ", values="
                + Arrays.toString(values) + "]";
    }
}
