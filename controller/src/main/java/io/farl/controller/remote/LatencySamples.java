package io.farl.controller.remote;

import java.util.Arrays;

/**
 * The latest {@code capacity} latency samples of one writer thread, for percentiles read after (or, approximately,
 * during) a run. Adding allocates nothing.
 */
public final class LatencySamples {
    private final long[] ring;
    private long count;

    public LatencySamples(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1");
        }
        ring = new long[capacity];
    }

    public synchronized void add(long nanos) {
        ring[(int) (count % ring.length)] = nanos;
        count++;
    }

    public synchronized long count() {
        return count;
    }

    /** Percentile {@code q} in [0, 1] of the kept samples (nearest rank), nanoseconds; 0 without samples. */
    public synchronized long percentile(double q) {
        int n = (int) Math.min(count, ring.length);
        if (n == 0) {
            return 0;
        }
        long[] sorted = Arrays.copyOf(ring, n);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(q * n) - 1;
        return sorted[Math.max(0, Math.min(n - 1, rank))];
    }
}
