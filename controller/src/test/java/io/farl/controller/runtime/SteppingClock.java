package io.farl.controller.runtime;

import io.farl.controller.loop.LoopClock;
import java.util.concurrent.atomic.AtomicLong;

/** A loop clock that never waits: parking jumps to the deadline. Thread-safe, so a runtime can run on it. */
final class SteppingClock implements LoopClock {
    private final AtomicLong now;

    SteppingClock(long startNanos) {
        now = new AtomicLong(startNanos);
    }

    @Override
    public long nanoTime() {
        return now.get();
    }

    @Override
    public void parkUntil(long deadlineNanos) {
        now.accumulateAndGet(deadlineNanos, Math::max);
    }
}
