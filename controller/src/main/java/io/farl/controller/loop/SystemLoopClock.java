package io.farl.controller.loop;

import java.util.concurrent.locks.LockSupport;

/** Wall monotonic clock; parks, re-parking on early wake-ups. */
final class SystemLoopClock implements LoopClock {
    static final SystemLoopClock INSTANCE = new SystemLoopClock();

    private SystemLoopClock() {
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public void parkUntil(long deadlineNanos) {
        long remaining;
        while ((remaining = deadlineNanos - System.nanoTime()) > 0) {
            LockSupport.parkNanos(remaining);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
