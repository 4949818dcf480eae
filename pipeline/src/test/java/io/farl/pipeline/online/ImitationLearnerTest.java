package io.farl.pipeline.online;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.farl.model.api.DiscriminatorConfig;
import io.farl.model.api.EpisodeSource;
import io.farl.model.api.Learner;
import io.farl.model.api.LearnerUpdate;
import io.farl.model.api.PolicySnapshot;
import io.farl.model.api.StepRecord;
import io.farl.model.api.TransitionData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The order of GAIL's iteration around a PPO learner (a recording stand-in here): a batch reaches PPO only when it is
 * complete and relabelled by the discriminator that has just trained on it; the goal step carries the absorbing
 * state's share; GAILFE's buffer takes the run's own failed episodes.
 */
class ImitationLearnerTest {
    private static final int BATCH = 64;

    /** Records what it is offered; "updates" whenever it holds a batch. Its state is its counts. */
    private static final class RecordingLearner implements Learner, io.farl.controller.session.Checkpointable {
        final List<StepRecord> offered = new ArrayList<>();
        int updates;
        boolean closed;

        @Override
        public boolean offer(StepRecord step) {
            offered.add(step);
            return true;
        }

        @Override
        public LearnerUpdate update() {
            boolean ready = offered.size() >= (updates + 1) * BATCH;
            if (ready) {
                updates++;
            }
            return new LearnerUpdate(ready, updates, ready ? BATCH : 0, 0, 0, Map.of());
        }

        @Override
        public Optional<PolicySnapshot> latestSnapshot() {
            return Optional.empty();
        }

        @Override
        public void close() {
            closed = true;
        }

        @Override
        public void saveState(java.nio.file.Path dir) throws java.io.IOException {
            java.nio.file.Files.writeString(dir.resolve("updates"), Integer.toString(updates));
        }

        @Override
        public void restoreState(java.nio.file.Path dir) throws java.io.IOException {
            updates = Integer.parseInt(java.nio.file.Files.readString(dir.resolve("updates")));
        }
    }

    /** Expert episodes walk from 0 to +1 with action +0.5; failure demonstrations walk to −1 with action −0.5. */
    private static TransitionData demonstrations() {
        TransitionData.Builder b = TransitionData.builder(2, 1);
        for (int e = 0; e < 20; e++) {
            boolean expert = e % 2 == 0;
            int t = 10;
            float[][] o = new float[t + 1][];
            float[][] a = new float[t][];
            for (int i = 0; i <= t; i++) {
                float x = (expert ? 1 : -1) * (float) i / t;
                o[i] = new float[] {x, 0.01f * e};
            }
            for (int i = 0; i < t; i++) {
                a[i] = new float[] {expert ? 0.5f : -0.5f};
            }
            boolean[] fail = new boolean[t];
            fail[t - 1] = !expert;
            b.addEpisode(expert ? EpisodeSource.EXPERT : EpisodeSource.FAILURE, o, a, new float[t], fail, true);
        }
        return b.build();
    }

    private static StepRecord step(float x, float action, boolean terminated, boolean failure) {
        return new StepRecord(new float[] {x, 0}, new float[] {action}, new float[] {action}, -1.0, 0, 0.0,
                new float[] {x + 0.1f * action, 0}, terminated, false, false, failure);
    }

    private static DiscriminatorConfig config(boolean failures) {
        return new DiscriminatorConfig(2, 1, 16, 2, 1e-3, 2, 32, failures, 5, Math.log(0.5), 1.0, 0.05, 10.0, 3);
    }

    @Test
    void shouldHandPpoEachBatchOnlyAfterTheDiscriminatorTrainedOnItAndRewardTheGoal() {
        RecordingLearner ppo = new RecordingLearner();
        try (ImitationLearner l = new ImitationLearner(ppo, config(false), demonstrations(), BATCH, 0.99)) {
            // 7 episodes of 10 steps on the far side from the expert's; the 6th fails, every other one reaches the goal
            for (int e = 0; e < 7; e++) {
                for (int i = 0; i < 10; i++) {
                    boolean last = i == 9;
                    assertTrue(l.offer(step(-0.05f * i, -0.3f, last && e != 5, last && e == 5)));
                }
                LearnerUpdate u = l.update();
                if (ppo.offered.isEmpty()) {
                    assertFalse(u.updated(), "nothing reaches PPO before a whole batch");
                }
            }
            assertEquals(BATCH, ppo.offered.size(), "exactly one batch went on; the rest waits");
            assertEquals(1, ppo.updates);
            assertEquals(1, l.iterations().size());
            ImitationLearner.Iteration it = l.iterations().get(0);
            assertEquals(BATCH, it.batch());
            assertNull(it.failureD(), "GAIL looks at no failures");
            assertEquals(0, it.failureTrajectories(), "GAIL keeps no failure buffer");
            assertEquals(1, l.agentFailures());
            double plain = ppo.offered.get(0).reward();
            assertTrue(plain > 0 && plain <= 10, "-log D of a policy pair: " + plain);
            // episode 3's last step (index 39) reached the goal: it also earns gamma/(1-gamma) x the expert's mean
            double goal = ppo.offered.get(39).reward();
            double expected = ppo.offered.get(38).reward() + 99 * it.expertReward();
            assertTrue(Math.abs(goal - expected) < 0.5 + 1e-6 * expected, goal + " vs about " + expected);
            assertTrue(it.expertReward() > it.meanReward(), "expert pairs earn more than the policy's: " + it);
            // the failure step (episode 5, index 59) is terminal with nothing added
            assertTrue(ppo.offered.get(59).reward() <= 10, "no absorbing share after a failure");
        }
        assertTrue(ppo.closed);
    }

    @Test
    void shouldFillGailfesBufferWithTheRunsOwnFailuresUpToN() {
        RecordingLearner ppo = new RecordingLearner();
        try (ImitationLearner l = new ImitationLearner(ppo, config(true), demonstrations(), BATCH, 0.99)) {
            for (int e = 0; e < 8; e++) {
                for (int i = 0; i < 10; i++) {
                    l.offer(step(-0.05f * i, -0.3f, i == 9, i == 9));
                }
                l.update();
            }
            ImitationLearner.Iteration it = l.iterations().get(0);
            // 10 failure demonstrations and 7 own failures by then, the newest N = 5 kept
            assertEquals(5, it.failureTrajectories());
            assertTrue(it.failureD() != null && it.lambda() >= 0, it.toString());
            assertEquals(8, l.agentFailures());
        }
    }

    /** Episode {@code e} of 10 steps; every third one fails, the others reach the goal. */
    private static void episode(ImitationLearner l, int e) {
        for (int i = 0; i < 10; i++) {
            boolean last = i == 9;
            l.offer(step(-0.05f * i + 0.001f * e, -0.3f, last && e % 3 != 0, last && e % 3 == 0));
        }
    }

    @Test
    void shouldContinueFromACheckpointExactlyAsWithoutOne(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        RecordingLearner ppoA = new RecordingLearner();
        RecordingLearner ppoB = new RecordingLearner();
        try (ImitationLearner a = new ImitationLearner(ppoA, config(true), demonstrations(), BATCH, 0.99)) {
            // an iteration, then 3.5 episodes waiting: the steps, the episode in progress and the buffer all count
            for (int e = 0; e < 10; e++) {
                episode(a, e);
                a.update();
            }
            for (int i = 0; i < 5; i++) {
                a.offer(step(-0.01f * i, -0.3f, false, false));
            }
            java.nio.file.Path ckpt = java.nio.file.Files.createDirectory(dir.resolve("ckpt"));
            a.saveState(ckpt);
            try (ImitationLearner b = new ImitationLearner(ppoB, config(true), demonstrations(), BATCH, 0.99)) {
                b.restoreState(ckpt);
                assertEquals(a.iterations(), b.iterations());
                assertEquals(a.agentFailures(), b.agentFailures());
                for (ImitationLearner l : List.of(a, b)) {
                    for (int i = 5; i < 10; i++) {
                        l.offer(step(-0.01f * i, -0.3f, i == 9, false));
                    }
                    for (int e = 11; e < 20; e++) {
                        episode(l, e);
                        l.update();
                    }
                }
                assertEquals(a.iterations(), b.iterations(), "the same discriminator steps after the restore");
                assertTrue(a.iterations().size() >= 3, a.iterations().toString());
            }
        }
        int before = ppoB.offered.size();
        assertTrue(before > 0);
        List<Double> ra = ppoA.offered.subList(ppoA.offered.size() - before, ppoA.offered.size()).stream()
                .map(StepRecord::reward).toList();
        List<Double> rb = ppoB.offered.stream().map(StepRecord::reward).toList();
        assertEquals(ra, rb, "the batches after the restore are rewarded alike");
    }

    @Test
    void shouldRefuseGailfeWithoutFailureDemonstrationsAndMalformedSteps() {
        TransitionData experts = demonstrations().selectSources(EpisodeSource.EXPERT);
        RecordingLearner ppo = new RecordingLearner();
        assertThrows(IllegalArgumentException.class, () -> new ImitationLearner(ppo, config(true), experts, BATCH,
                0.99));
        try (ImitationLearner l = new ImitationLearner(ppo, config(false), experts, BATCH, 0.99)) {
            assertFalse(l.offer(new StepRecord(new float[] {Float.NaN, 0}, new float[] {0}, new float[] {0}, 0, 0, 0,
                    new float[] {0, 0}, false, false, false, false)));
            assertEquals(1, l.rejected());
        }
    }
}
