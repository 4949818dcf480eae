package io.farl.controller.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.farl.controller.session.CheckpointStore;
import io.farl.controller.session.Checkpointable;
import io.farl.model.api.Learner;
import io.farl.model.api.LearnerUpdate;
import io.farl.model.api.PolicySnapshot;
import io.farl.model.api.StepRecord;
import io.farl.protocol.v1.StepAck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FleetLearnerTest {

    /** Updates once {@code batch} steps are pending; its state is the pending steps' first observations. */
    private static final class CountingLearner implements Learner, Checkpointable {
        final int batch;
        final List<StepRecord> pending = new CopyOnWriteArrayList<>();
        final List<Integer> trainedObservations = new CopyOnWriteArrayList<>();
        volatile long version;

        CountingLearner(int batch) {
            this.batch = batch;
        }

        @Override
        public boolean offer(StepRecord step) {
            pending.add(step);
            return true;
        }

        @Override
        public LearnerUpdate update() {
            if (pending.size() < batch) {
                return new LearnerUpdate(false, version, 0, 0, 0, Map.of());
            }
            for (int i = 0; i < batch; i++) {
                trainedObservations.add((int) pending.remove(0).observation()[0]);
            }
            version++;
            return new LearnerUpdate(true, version, batch, 0, 0, Map.of());
        }

        @Override
        public Optional<PolicySnapshot> latestSnapshot() {
            return Optional.of(FleetFixtures.snapshot(version, version));
        }

        @Override
        public void close() {
        }

        @Override
        public void saveState(Path dir) throws IOException {
            List<String> lines = new ArrayList<>();
            lines.add(Long.toString(version));
            for (StepRecord s : pending) {
                lines.add(Integer.toString((int) s.observation()[0]));
            }
            Files.write(dir.resolve("state.txt"), lines);
        }

        @Override
        public void restoreState(Path dir) throws IOException {
            List<String> lines = Files.readAllLines(dir.resolve("state.txt"));
            version = Long.parseLong(lines.get(0));
            pending.clear();
            for (String l : lines.subList(1, lines.size())) {
                pending.add(FleetFixtures.step(Integer.parseInt(l), version, false));
            }
        }
    }

    private static final class Outbox implements FleetLearner.Outbox {
        final Map<String, List<LearnCodec.Ack>> acks = new ConcurrentHashMap<>();
        final Map<String, List<Long>> policies = new ConcurrentHashMap<>();

        @Override
        public boolean ack(String robot, byte[] payload) {
            acks.computeIfAbsent(robot, r -> new CopyOnWriteArrayList<>()).add(LearnCodec.decodeAck(robot, payload));
            return true;
        }

        @Override
        public boolean policy(String robot, byte[] payload) {
            policies.computeIfAbsent(robot, r -> new CopyOnWriteArrayList<>()).add(
                    LearnCodec.decodePolicy(payload).snapshot().version());
            return true;
        }
    }

    private static FleetLearner fleet(CountingLearner l, Path dir, Outbox out, long lag) throws IOException {
        return new FleetLearner(l, l, new CheckpointStore(dir.resolve("checkpoints"), 2), dir.resolve("journal"),
                FleetFixtures.OBS, FleetFixtures.ACT, new FleetLearner.Settings("ws", lag, 1, 64, Set.of("r0")), out,
                null);
    }

    private static byte[] batch(String robot, String run, long seq, int from, int n, long version) {
        return LearnCodec.batch(robot, run, seq, 0, FleetFixtures.steps(from, n, version));
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
    void shouldLearnFromSeveralRobotsOnceEachAndPublishToAll(@TempDir Path dir) throws Exception {
        CountingLearner l = new CountingLearner(30);
        Outbox out = new Outbox();
        FleetLearner f = fleet(l, dir, out, 3);
        f.resume();
        f.start();
        f.onSteps("r1", batch("r1", "a", 1, 0, 10, 0));
        f.onSteps("r2", batch("r2", "b", 1, 100, 10, 0));
        f.onSteps("r1", batch("r1", "a", 1, 0, 10, 0)); // resent after a lost ack
        f.onSteps("r1", batch("r1", "a", 2, 10, 10, 0));
        f.onSteps("r2", new byte[] {9, 9, 9});
        await(() -> f.stats().updates() == 1, "one update");
        f.close();
        FleetLearner.Stats s = f.stats();
        assertEquals(3, s.batches(), s.toString());
        assertEquals(1, s.duplicates());
        assertEquals(1, s.refused());
        assertEquals(30, s.stepsAccepted());
        assertEquals(List.of(StepAck.Status.ACCEPTED, StepAck.Status.DUPLICATE, StepAck.Status.ACCEPTED),
                out.acks.get("r1").stream().map(LearnCodec.Ack::status).toList());
        assertEquals(StepAck.Status.REFUSED, out.acks.get("r2").get(1).status());
        assertEquals(List.of(1L), out.policies.get("r0"), "the served robot gets version 1");
        assertEquals(List.of(1L), out.policies.get("r1"));
        assertEquals(List.of(1L), out.policies.get("r2"));
        assertEquals(new FleetLearner.RobotTally(2, 20, 0, 0, 0), s.robots().get("r1"));
    }

    @Test
    void shouldDropStepsOfTooOldAPolicy(@TempDir Path dir) throws Exception {
        CountingLearner l = new CountingLearner(1000);
        l.version = 5;
        Outbox out = new Outbox();
        FleetLearner f = fleet(l, dir, out, 2);
        f.start();
        f.onSteps("r1", LearnCodec.batch("r1", "a", 1, 0, List.of(FleetFixtures.step(0, 2, false),
                FleetFixtures.step(1, 3, false), FleetFixtures.step(2, 5, false))));
        await(() -> f.stats().batches() == 1, "the batch");
        f.close();
        assertEquals(2, f.stats().stepsAccepted());
        assertEquals(1, f.stats().stepsStale());
        LearnCodec.Ack a = out.acks.get("r1").get(0);
        assertEquals(2, a.stepsAccepted());
        assertEquals(1, a.stepsStale());
    }

    @Test
    void shouldResumeWithEveryAcknowledgedStepAfterAKill(@TempDir Path dir) throws Exception {
        CountingLearner l = new CountingLearner(25);
        Outbox out = new Outbox();
        FleetLearner f = fleet(l, dir, out, 10);
        f.resume();
        f.start();
        for (int k = 0; k < 4; k++) {
            f.onSteps("r1", batch("r1", "a", k + 1, 10 * k, 10, 0));
            int n = k + 1;
            await(() -> f.stats().batches() == n && (n < 3 || f.stats().checkpoints() == 1), "batch " + n);
        }
        // killed: no final checkpoint. The update after 30 steps checkpointed 25 trained + 5 pending; the journal
        // holds the batch that came after that checkpoint
        f.halt();
        CountingLearner l2 = new CountingLearner(25);
        Outbox out2 = new Outbox();
        FleetLearner f2 = fleet(l2, dir, out2, 10);
        assertTrue(f2.resume());
        assertEquals(1, l2.version);
        assertEquals(15, l2.pending.size(), "5 pending in the checkpoint + 10 replayed from the journal");
        assertEquals(1, f2.stats().replayedBatches());
        assertEquals(List.of(1L), out2.policies.get("r1"), "the newest version republished");
        f2.start();
        f2.onSteps("r1", batch("r1", "a", 4, 30, 10, 1)); // the robot resends what it may not know arrived
        f2.onSteps("r1", batch("r1", "a", 5, 40, 10, 1));
        await(() -> f2.stats().updates() == 1, "an update after the restart");
        f2.close();
        assertEquals(StepAck.Status.DUPLICATE, out2.acks.get("r1").get(0).status());
        List<Integer> trained = new ArrayList<>(l.trainedObservations.subList(0, 25));
        trained.addAll(l2.trainedObservations);
        for (int i = 0; i < 50; i++) {
            assertEquals(i, trained.get(i), "every step trained once, in order: " + trained);
        }
    }
}
