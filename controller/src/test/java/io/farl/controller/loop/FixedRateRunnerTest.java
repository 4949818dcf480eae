package io.farl.controller.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FixedRateRunnerTest {
    private static final long P = 1_000_000L;
    private final ManualLoopClock clock = new ManualLoopClock(5 * P);
    private final List<long[]> calls = new ArrayList<>();
    private long workNanos;

    private FixedRateRunner runner() {
        return new FixedRateRunner(clock, P, (now, period) -> {
            calls.add(new long[] {now, period});
            clock.advance(workNanos);
        });
    }

    @Test
    void shouldRunOnAbsoluteDeadlinesWithoutDrift() {
        FixedRateRunner r = runner();
        workNanos = P / 3;
        for (int i = 0; i < 10; i++) {
            r.cycle();
        }
        for (int i = 0; i < 10; i++) {
            assertEquals(5 * P + i * P, calls.get(i)[0], "cycle " + i);
            assertEquals(P, calls.get(i)[1]);
        }
        assertEquals(0, r.overruns());
    }

    @Test
    void shouldCountAnOverrunAndSkipMissedDeadlinesKeepingTheGrid() {
        FixedRateRunner r = runner();
        r.cycle();
        workNanos = 5 * P / 2; // this cycle ends 1.5 periods after the next deadline
        r.cycle();
        workNanos = 0;
        r.cycle();
        assertEquals(1, r.overruns());
        assertEquals(1, r.skippedDeadlines());
        // Second cycle ran at 6P and ended at 8.5P; deadline 7P is skipped, the late cycle runs at 8.5P at once
        // (a command is written in the period it runs in), then the grid resumes at 9P.
        assertEquals(8 * P + P / 2, calls.get(2)[0]);
        assertEquals(5 * P / 2, calls.get(2)[1], "the step sees the real time since the previous one");
        r.cycle();
        assertEquals(9 * P, calls.get(3)[0]);
        assertEquals(P, calls.get(3)[1], "never less than the nominal period");
    }

    @Test
    void shouldSurviveAThrowingStep() {
        FixedRateRunner r = new FixedRateRunner(clock, P, (now, period) -> {
            throw new IllegalStateException("boom");
        });
        r.cycle();
        r.cycle();
        assertEquals(2, r.cycles());
    }

    @Test
    void shouldRejectANonPositivePeriod() {
        assertThrows(IllegalArgumentException.class, () -> new FixedRateRunner(clock, 0, (n, p) -> { }));
    }

    @Test
    void shouldStopWhenAsked() {
        FixedRateRunner[] holder = new FixedRateRunner[1];
        holder[0] = new FixedRateRunner(clock, P, (now, period) -> {
            if (now >= 9 * P) {
                holder[0].stop();
            }
        });
        holder[0].run();
        assertEquals(5, holder[0].cycles());
    }

    @Test
    void shouldEndOnInterruptInsteadOfBusyLooping() {
        FixedRateRunner[] holder = new FixedRateRunner[1];
        int[] cycles = {0};
        holder[0] = new FixedRateRunner(clock, P, (now, period) -> {
            cycles[0]++;
            if (cycles[0] == 1) {
                Thread.currentThread().interrupt();
            }
            if (cycles[0] > 5) {
                holder[0].stop(); // only reached when the interrupt is ignored
            }
        });
        holder[0].run();
        boolean interrupted = Thread.interrupted(); // clears the flag for the other tests
        assertEquals(1, cycles[0], "run() ends after the interrupted cycle");
        assertTrue(interrupted, "the interrupt status is kept for the owner");
    }
}
