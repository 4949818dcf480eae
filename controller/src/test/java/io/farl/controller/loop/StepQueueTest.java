package io.farl.controller.loop;

import static io.farl.controller.loop.FakeRobot.PERIOD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class StepQueueTest {
    private static final long START = 1_000_000_000L;

    /** A loop writing step n (command sequence n) at START + (n - 1) periods into {@code sinks}. */
    private static final class Producer {
        final FakeRobot robot = new FakeRobot();
        final ControlLoop loop;
        long n;

        Producer(StepQueue... sinks) {
            loop = new ControlLoop(robot, ControlLoopTest.config(robot, 0, true), List.of(sinks));
            robot.activate();
            loop.activate(START);
        }

        void step() {
            long now = START + n * PERIOD;
            robot.observe(now, 0, 0, 0.2);
            loop.runOnce(now, PERIOD);
            n++;
            if (robot.written.size() > 1000) {
                robot.written.clear();
            }
        }
    }

    @Test
    void shouldHandOutCopiesInOrderAndNothingWhenEmpty() {
        StepQueue q = new StepQueue("recorder", 4, StepQueue.DropPolicy.DROP_NEWEST);
        Producer p = new Producer(q);
        StepBuffer out = new StepBuffer();
        assertFalse(q.pollInto(out));
        p.step();
        p.step();
        assertTrue(q.pollInto(out));
        assertEquals(1, out.commandSequence());
        assertEquals(START, out.stampNanos());
        p.step(); // overwrites nothing the consumer holds: it has its own copy
        assertEquals(1, out.commandSequence());
        assertEquals(2, q.poll().commandSequence());
        assertEquals(3, q.poll().commandSequence());
        assertNull(q.poll());
        assertEquals(0, q.dropped());
    }

    @Test
    void shouldRefuseTheNewestWhenFullUnderDropNewest() {
        StepQueue q = new StepQueue("recorder", 2, StepQueue.DropPolicy.DROP_NEWEST);
        Producer p = new Producer(q);
        for (int i = 0; i < 5; i++) {
            p.step();
        }
        assertEquals(3, q.dropped());
        assertEquals(1, q.poll().commandSequence(), "what was queued is kept");
        assertEquals(2, q.poll().commandSequence());
        assertNull(q.poll());
        p.step();
        assertEquals(6, q.poll().commandSequence());
    }

    /**
     * A consumer racing a producer that laps it: every copy it gets is whole (its fields belong to one step), in
     * order, and consumed + dropped = offered.
     */
    @Test
    void shouldNeverHandOutATornStepWhileBeingOvertaken() throws Exception {
        StepQueue q = new StepQueue("learner", 8, StepQueue.DropPolicy.DROP_OLDEST);
        Producer p = new Producer(q);
        int steps = 200_000;
        AtomicBoolean done = new AtomicBoolean();
        Thread producer = new Thread(() -> {
            for (int i = 0; i < steps; i++) {
                p.step();
            }
            done.set(true);
        });
        StepBuffer out = new StepBuffer();
        long consumed = 0;
        long last = 0;
        producer.start();
        while (!done.get() || q.size() > 0) {
            if (q.pollInto(out)) {
                consumed++;
                long seq = out.commandSequence();
                assertTrue(seq > last, "in order: " + seq + " after " + last);
                last = seq;
                assertEquals(START + (seq - 1) * PERIOD, out.stampNanos(), "stamp and sequence of one step");
                if (out.observation() != null) {
                    assertEquals(out.stampNanos(), out.observation().stampNanos(), "observation of the same step");
                }
            }
        }
        producer.join();
        while (q.pollInto(out)) {
            consumed++;
        }
        assertEquals(steps, q.offered());
        assertEquals(steps, consumed + q.dropped(), "consumed + dropped = offered");
    }
}
