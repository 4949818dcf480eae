package io.farl.controller.runtime;

import io.farl.controller.loop.LoopClock;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * A loop clock that does not wait for real time: parking jumps to the deadline, once {@code ready} holds (e.g. the
 * inference thread has answered the newest observation) or after a bounded number of yields. Loop time thus
 * advances in step with the other threads however the machine schedules them. Thread-safe.
 */
final class SteppingClock implements LoopClock {
    private static final int MAX_YIELDS = 100_000;
    private final AtomicLong now;
    private volatile BooleanSupplier ready = () -> true;

    SteppingClock(long startNanos) {
        now = new AtomicLong(startNanos);
    }

    /** Advance only once {@code condition} holds (or after many yields, so nothing hangs). */
    void advanceWhen(BooleanSupplier condition) {
        this.ready = condition;
    }

    @Override
    public long nanoTime() {
        return now.get();
    }

    @Override
    public void parkUntil(long deadlineNanos) {
        for (int i = 0; i < MAX_YIELDS && !ready.getAsBoolean(); i++) {
            Thread.yield();
        }
        now.accumulateAndGet(deadlineNanos, Math::max);
    }
}
