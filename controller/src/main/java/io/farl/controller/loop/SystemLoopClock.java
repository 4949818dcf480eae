package io.farl.controller.loop;

import java.util.concurrent.locks.LockSupport;

/**
 * Wall monotonic clock. Waits by parking until {@code spinNanos} before the deadline, then spinning on
 * {@link System#nanoTime()} ({@link Thread#onSpinWait()}) for the rest: a park wakes up late by the kernel's timer
 * slack plus the scheduler's latency (tens of microseconds, more under load), a spin does not.
 *
 * <p>CPU cost: the spin occupies one core for about {@code spinNanos} minus the park's own lateness per cycle, so at
 * most {@code spinNanos × rate}: 150 µs at 1 kHz is up to 15% of a core. With {@code spinNanos = 0} it only parks.
 * A deadline closer than {@code spinNanos} is spun for entirely.
 */
final class SystemLoopClock implements LoopClock {
    static final SystemLoopClock PARK_ONLY = new SystemLoopClock(0);

    private final long spinNanos;

    SystemLoopClock(long spinNanos) {
        if (spinNanos < 0) {
            throw new IllegalArgumentException("spinNanos must be >= 0, got " + spinNanos);
        }
        this.spinNanos = spinNanos;
    }

    long spinNanos() {
        return spinNanos;
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public void parkUntil(long deadlineNanos) {
        long remaining;
        while ((remaining = deadlineNanos - System.nanoTime()) > spinNanos) {
            LockSupport.parkNanos(remaining - spinNanos);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        while (deadlineNanos - System.nanoTime() > 0) {
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
            Thread.onSpinWait();
        }
    }

    @Override
    public String toString() {
        return "SystemLoopClock[spinNanos=" + spinNanos + "]";
    }
}
