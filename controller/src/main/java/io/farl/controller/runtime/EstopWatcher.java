package io.farl.controller.runtime;

import io.farl.controller.loop.OperatorInputs;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Body of the {@code farl-estop} thread: polls the e-stop input and engages or releases the loop's operator input
 * on each change (the loop latches the press). An input that throws reads as engaged.
 */
final class EstopWatcher implements Runnable {
    private final BooleanSupplier input;
    private final OperatorInputs operator;
    private final long pollNanos;
    private volatile boolean running = true;
    private volatile long errors;

    EstopWatcher(BooleanSupplier input, OperatorInputs operator, long pollNanos) {
        this.input = input;
        this.operator = operator;
        this.pollNanos = pollNanos;
    }

    @Override
    public void run() {
        boolean last = false;
        while (running) {
            boolean engaged;
            try {
                engaged = input.getAsBoolean();
            } catch (RuntimeException e) {
                errors++;
                engaged = true;
            }
            if (engaged && !last) {
                operator.engageEstop();
            } else if (!engaged && last) {
                operator.releaseEstop();
            }
            last = engaged;
            LockSupport.parkNanos(pollNanos);
        }
    }

    void stop() {
        running = false;
    }

    long errors() {
        return errors;
    }
}
