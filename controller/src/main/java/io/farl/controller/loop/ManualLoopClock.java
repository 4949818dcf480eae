package io.farl.controller.loop;

/**
 * A clock that only moves when told: {@link #parkUntil} jumps to the deadline, {@link #advance} simulates work.
 * For tests and for stepping a simulation faster than real time. Single-threaded.
 */
public final class ManualLoopClock implements LoopClock {
    private long now;

    public ManualLoopClock(long startNanos) {
        this.now = startNanos;
    }

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public void parkUntil(long deadlineNanos) {
        now = Math.max(now, deadlineNanos);
    }

    /** Let {@code nanos} pass (e.g. a slow step). */
    public void advance(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("time does not go back");
        }
        now += nanos;
    }
}
