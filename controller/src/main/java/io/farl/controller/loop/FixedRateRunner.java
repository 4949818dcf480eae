package io.farl.controller.loop;

/**
 * Runs a step at a fixed rate on absolute deadlines: {@code next += period}, so lateness never accumulates. A cycle
 * that wakes a whole period or more late skips the deadlines it missed (counted) and runs at once, so a late cycle
 * still writes its command in the period it runs in. A cycle that ends after the next deadline is an overrun
 * (counted). The step is given {@code (now, period)} where period is the time since the previous step, never less
 * than the nominal period.
 *
 * <p>The wait itself belongs to the {@link LoopClock}: {@link LoopClock#system(long)} parks and then spins the last
 * part before each deadline, which is what a 1 kHz loop needs to wake within microseconds.
 *
 * <p>One thread calls {@link #run()} (or {@link #cycle()} in tests); {@link #stop()} from any thread. An interrupt
 * of the running thread ends {@link #run()} after the current cycle (the interrupt status is kept for the owner): a
 * clock whose wait returns at once when interrupted must not turn the loop into a busy loop. Nothing here logs: the
 * counters are read by a monitor thread.
 */
public final class FixedRateRunner {
    /** What the runner drives, e.g. {@code loop::runOnce}. */
    @FunctionalInterface
    public interface Step {
        void runOnce(long nowNanos, long periodNanos);
    }

    private final LoopClock clock;
    private final long periodNanos;
    private final Step step;
    private volatile boolean running;
    private boolean started;
    private long next;
    private long previous;
    private volatile long cycles;
    private volatile long overruns;
    private volatile long skippedDeadlines;
    private volatile long maxLatenessNanos;
    private volatile long stepErrors;
    private long lastLatenessNanos;

    public FixedRateRunner(LoopClock clock, long periodNanos, Step step) {
        if (periodNanos <= 0) {
            throw new IllegalArgumentException("periodNanos must be > 0, got " + periodNanos);
        }
        this.clock = clock;
        this.periodNanos = periodNanos;
        this.step = step;
    }

    /** Run cycles until {@link #stop()} or an interrupt of the calling thread. */
    public void run() {
        running = true;
        while (running && !Thread.currentThread().isInterrupted()) {
            cycle();
        }
        running = false;
    }

    /** True while {@link #run()} is cycling. */
    public boolean running() {
        return running;
    }

    public void stop() {
        running = false;
    }

    /** One cycle: wait for the next deadline, run the step, move the deadline one period on. */
    public void cycle() {
        if (!started) {
            started = true;
            next = clock.nanoTime();
            previous = next - periodNanos;
        }
        clock.parkUntil(next);
        long now = clock.nanoTime();
        long late = now - next;
        lastLatenessNanos = late;
        if (late > maxLatenessNanos) {
            maxLatenessNanos = late;
        }
        if (late >= periodNanos) {
            long missed = late / periodNanos;
            skippedDeadlines += missed;
            next += missed * periodNanos;
        }
        long dt = Math.max(periodNanos, now - previous);
        previous = now;
        try {
            step.runOnce(now, dt);
        } catch (RuntimeException e) {
            // The step handles its own errors; this only keeps the timing thread alive (counted, not logged here).
            stepErrors++;
        }
        cycles++;
        next += periodNanos;
        if (clock.nanoTime() > next) {
            overruns++;
        }
    }

    /** The period the runner keeps. */
    public long periodNanos() {
        return periodNanos;
    }

    public long cycles() {
        return cycles;
    }

    /** Cycles whose step ended after the following deadline. */
    public long overruns() {
        return overruns;
    }

    /** Deadlines dropped because a cycle woke a whole period or more late. */
    public long skippedDeadlines() {
        return skippedDeadlines;
    }

    /** Exceptions that escaped the step (the control loop catches its own; a wrapper's may not). */
    public long stepErrors() {
        return stepErrors;
    }

    public long maxLatenessNanos() {
        return maxLatenessNanos;
    }

    /**
     * How late the current (or latest) cycle woke after its deadline, before any skip; for the step itself to read
     * (runner thread only).
     */
    public long lastLatenessNanos() {
        return lastLatenessNanos;
    }
}
