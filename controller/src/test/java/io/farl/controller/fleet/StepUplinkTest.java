package io.farl.controller.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.farl.model.api.StepRecord;
import io.farl.protocol.v1.StepAck;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StepUplinkTest {
    private static final StepUplink.Settings FAST = new StepUplink.Settings(1024, 10, TimeUnit.MILLISECONDS.toNanos(
            20), TimeUnit.MILLISECONDS.toNanos(150), 4, 2, TimeUnit.MILLISECONDS.toNanos(500));

    /** A learner behind a link: records what it took, acknowledges when answering. */
    private static final class Learner implements StepUplink.Transport {
        volatile boolean up = true;
        volatile boolean answering = true;
        final List<String> taken = new ArrayList<>();
        final TreeSet<Integer> observations = new TreeSet<>();
        StepUplink uplink;

        @Override
        public synchronized boolean send(byte[] payload) {
            if (!up) {
                return false;
            }
            if (answering) {
                LearnCodec.Batch b = LearnCodec.decodeBatch("r1", payload, FleetFixtures.OBS, FleetFixtures.ACT);
                StepAck.Status status = taken.contains(b.runId() + "/" + b.seq()) ? StepAck.Status.DUPLICATE
                        : StepAck.Status.ACCEPTED;
                taken.add(b.runId() + "/" + b.seq());
                b.steps().forEach(s -> observations.add((int) s.observation()[0]));
                uplink.onAck(LearnCodec.ack("r1", b.runId(), b.seq(), status, b.steps().size(), 0, ""));
            }
            return true;
        }

        @Override
        public boolean up() {
            return up;
        }

        synchronized int distinctSteps() {
            return observations.size();
        }
    }

    private static StepUplink uplink(Learner l, Path spool, String run) throws Exception {
        StepUplink u = new StepUplink("r1", run, FAST, l, new StepSpool(spool));
        l.uplink = u;
        return u;
    }

    private static void offer(StepUplink u, int from, int count) {
        for (StepRecord s : FleetFixtures.steps(from, count, 0)) {
            u.offer(s);
        }
    }

    private static void await(BooleanSupplier c, String what) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }

    @Test
    void shouldDeliverEveryStepInBatches(@TempDir Path dir) throws Exception {
        Learner l = new Learner();
        StepUplink u = uplink(l, dir, "run-a");
        u.start();
        offer(u, 0, 95);
        await(() -> u.stats().stepsAccepted() == 95, "95 steps acknowledged");
        u.close();
        StepUplink.Stats s = u.stats();
        assertEquals(10, s.batches(), "nine full batches and one cut by the delay: " + s);
        assertEquals(95, l.distinctSteps());
        assertEquals(0, s.spooled(), s.toString());
        assertEquals(0, s.spoolPending());
        assertTrue(s.learnerReachable());
    }

    @Test
    void shouldSpoolWhileTheLearnerIsSilentAndDrainWhenItAnswers(@TempDir Path dir) throws Exception {
        Learner l = new Learner();
        l.answering = false;
        StepUplink u = uplink(l, dir, "run-a");
        u.start();
        offer(u, 0, 60);
        await(() -> !u.learnerReachable() && u.stats().spoolPending() == 6, "six batches spooled");
        StepUplink.Stats silent = u.stats();
        assertEquals(1, silent.learnerLost(), silent.toString());
        assertEquals(0, silent.acked());
        l.answering = true;
        await(() -> u.stats().spoolPending() == 0, "spool drained");
        offer(u, 60, 20);
        await(() -> l.distinctSteps() == 80, "every step arrived");
        u.close();
        StepUplink.Stats s = u.stats();
        assertTrue(u.learnerReachable());
        assertEquals(8, s.acked() - s.duplicates(), s.toString());
        assertEquals(6, s.spooled(), s.toString());
        assertEquals(6, s.spoolDrained(), s.toString());
        assertTrue(s.resends() >= 1, "the spooled batches went out again: " + s);
        assertEquals(0, new StepSpool(dir).list().size());
    }

    @Test
    void shouldLeaveUnacknowledgedBatchesForTheNextRun(@TempDir Path dir) throws Exception {
        Learner l = new Learner();
        l.up = false;
        StepUplink first = uplink(l, dir, "run-a");
        first.start();
        offer(first, 0, 30);
        first.close();
        assertEquals(3, first.stats().spoolPending(), first.stats().toString());
        assertEquals(3, new StepSpool(dir).list().size());

        l.up = true;
        StepUplink second = uplink(l, dir, "run-b");
        assertEquals(3, second.stats().spoolPending(), "found the earlier run's batches");
        second.start();
        offer(second, 100, 10);
        await(() -> second.stats().spoolPending() == 0 && l.distinctSteps() == 40, "both runs' steps arrived");
        second.close();
        assertTrue(l.taken.containsAll(List.of("run-a/1", "run-a/2", "run-a/3", "run-b/1")), l.taken.toString());
        assertEquals("run-a/1", l.taken.get(0), "the earlier run's batches go first");
        assertEquals(0, new StepSpool(dir).list().size());
    }

    @Test
    void shouldDropTheOldestStepsWhenTheQueueIsFull(@TempDir Path dir) throws Exception {
        Learner l = new Learner();
        StepUplink u = new StepUplink("r1", "run-a", new StepUplink.Settings(16, 8, TimeUnit.MILLISECONDS.toNanos(20),
                TimeUnit.SECONDS.toNanos(1), 4, 4, TimeUnit.MILLISECONDS.toNanos(500)), l, new StepSpool(dir));
        l.uplink = u;
        offer(u, 0, 40); // not started: nothing drains
        assertEquals(24, u.stats().stepsDropped());
        u.start();
        await(() -> l.distinctSteps() == 16, "the newest 16 steps arrived");
        u.close();
        assertEquals(24, l.observations.first(), "the oldest were dropped");
        assertFalse(u.stats().stepsAccepted() > 16);
    }
}
