package io.farl.controller.runtime;

import io.farl.controller.loop.ControlLoop;
import io.farl.controller.loop.FallbackAction;
import io.farl.robot.api.Observation;
import java.util.concurrent.locks.LockSupport;

/**
 * Body of the {@code farl-fallback} thread: runs the local recovery policy once per new observation the loop
 * published and hands the action to the loop's fallback holder, for the epoch it was started in. Exceptions are
 * counted; the loop holds at its deadline when no fresh fallback action exists.
 */
final class FallbackProducer implements Runnable {
    private static final long IDLE_PARK_NANOS = 50_000;
    private final ControlLoop loop;
    private final FallbackSource source;
    private volatile boolean running = true;
    private volatile long errors;

    FallbackProducer(ControlLoop loop, FallbackSource source) {
        this.loop = loop;
        this.source = source;
    }

    @Override
    public void run() {
        long lastSequence = Long.MIN_VALUE;
        long lastEpoch = Long.MIN_VALUE;
        while (running) {
            long epoch = loop.fallbackRecovery().epoch();
            Observation o = loop.observations().latest();
            if (o == null || (o.sequence() == lastSequence && epoch == lastEpoch)) {
                LockSupport.parkNanos(IDLE_PARK_NANOS);
                continue;
            }
            lastSequence = o.sequence();
            lastEpoch = epoch;
            try {
                FallbackAction a = source.act(o);
                if (a != null) {
                    loop.fallbackRecovery().publish(a, epoch);
                }
            } catch (RuntimeException e) {
                errors++;
            }
        }
    }

    void stop() {
        running = false;
    }

    long errors() {
        return errors;
    }
}
