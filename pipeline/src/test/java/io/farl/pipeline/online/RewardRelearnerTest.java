package io.farl.pipeline.online;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.farl.model.api.EpisodeSource;
import io.farl.model.api.Learner;
import io.farl.model.api.LearnerUpdate;
import io.farl.model.api.PolicySnapshot;
import io.farl.model.api.ProgressListener;
import io.farl.model.api.RewardModelConfig;
import io.farl.model.api.StepRecord;
import io.farl.model.api.TransitionData;
import io.farl.model.djl.RewardTrainer;
import io.farl.model.jvm.JvmStateReward;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** TW-CRL's online loop: the reward is refitted to the run's own episodes before each batch reaches PPO. */
class RewardRelearnerTest {
    private static final int BATCH = 64;

    /** Records what it is offered; "updates" whenever it holds a batch. */
    private static final class RecordingLearner implements Learner, io.farl.controller.session.Checkpointable {
        final List<StepRecord> offered = new ArrayList<>();
        int updates;

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

    /**
     * The demonstrations: successful episodes walk to the goal at x = +1, failed ones to the trap at x = −1, both
     * with y between 0.3 and 0.7. No demonstration goes beyond.
     */
    private static TransitionData offline() {
        TransitionData.Builder b = TransitionData.builder(2, 1);
        for (int e = 0; e < 40; e++) {
            boolean success = e % 2 == 0;
            int t = 10 + e % 3;
            float[][] o = new float[t + 1][];
            float[][] a = new float[t][];
            for (int i = 0; i <= t; i++) {
                o[i] = new float[] {(success ? 1 : -1) * (float) i / t, 0.3f + 0.4f * ((e * 7 + i) % 10) / 9f};
            }
            for (int i = 0; i < t; i++) {
                a[i] = new float[] {success ? 1 : -1};
            }
            boolean[] c = new boolean[t];
            c[t - 1] = !success;
            b.addEpisode(success ? EpisodeSource.EXPERT : EpisodeSource.FAILURE, o, a, new float[t], c, true);
        }
        return b.build();
    }

    /** An online episode of 11 steps towards x = +1 that drifts to y = 1.5 and fails there. */
    private static void driftingFailure(RewardRelearner l, int e) {
        for (int i = 0; i < 11; i++) {
            float[] o = {i / 11f, 0.5f + i / 11f};
            float[] next = {(i + 1) / 11f, 0.5f + (i + 1) / 11f + 0.001f * (e % 5)};
            boolean last = i == 10;
            assertTrue(l.offer(new StepRecord(o, new float[] {1}, new float[] {1}, 0, 0, 0, next, last, false, false,
                    last)));
        }
    }

    @Test
    void shouldRefitTheRewardToTheRunsOwnFailuresBeforeEachBatchReachesPpo() {
        RewardModelConfig c = new RewardModelConfig(2, 32, 2, 8, true, 60, 64, 3e-3, 0.2, 5);
        RewardTrainer.Labelled labelled = RewardTrainer.label(offline(), c);
        JvmStateReward initial = RewardTrainer.train(labelled, c, ProgressListener.NONE).model(new Properties());
        float[] driftEnd = {1f, 1.5f};
        float[] goal = {1f, 0.5f};
        double before = initial.reward(driftEnd);
        assertTrue(initial.reward(goal) > 0.5, "the offline reward marks the goal: " + initial.reward(goal));

        RecordingLearner ppo = new RecordingLearner();
        try (RewardRelearner l = new RewardRelearner(ppo, initial.copy(), c, labelled,
                new RewardRelearner.Settings(20, 256), BATCH)) {
            for (int e = 0; e < 24; e++) {
                driftingFailure(l, e);
                LearnerUpdate u = l.update();
                if (u.updated()) {
                    assertTrue(u.metrics().containsKey("reward.refitMse"), u.metrics().toString());
                }
            }
            // 264 steps: four batches went to PPO, each after a refit; the rest waits
            assertEquals(4, l.refits().size());
            assertEquals(4 * BATCH, ppo.offered.size());
            RewardRelearner.Refit first = l.refits().get(0);
            assertEquals(6, first.onlineFailures(), "the episodes finished when the first batch was complete (66 steps)");
            assertEquals(0, first.onlineSuccesses());
            assertEquals(6 * 12, first.onlineStates(), "every state s_0 … s_T of each finished episode");

            // the newest batch carries the newest reward of the state each step reached (no goal was reached)
            JvmStateReward now = l.reward();
            for (StepRecord s : ppo.offered.subList(3 * BATCH, 4 * BATCH)) {
                assertEquals(now.reward(s.nextObservation()), s.reward(), 1e-9);
            }
            // where the run's own episodes failed, the refitted reward is negative; the goal stays rewarded
            double after = now.reward(driftEnd);
            assertTrue(after < -0.3 && after < before - 0.5, "drift end before " + before + ", after " + after);
            assertTrue(now.reward(goal) > 0.3, "goal after " + now.reward(goal));
            assertFalse(initial.reward(driftEnd) != before, "the offline model itself is unchanged");
        }
    }

    @Test
    void shouldContinueFromACheckpointExactlyAsWithoutOne(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        RewardModelConfig c = new RewardModelConfig(2, 16, 2, 8, true, 20, 64, 3e-3, 0.2, 7);
        RewardTrainer.Labelled labelled = RewardTrainer.label(offline(), c);
        Properties stored = new Properties();
        io.farl.model.jvm.ConfigProperties.put(stored, "", c);
        JvmStateReward initial = RewardTrainer.train(labelled, c, ProgressListener.NONE).model(stored);
        RewardRelearner.Settings settings = new RewardRelearner.Settings(3, 128);
        RecordingLearner ppoA = new RecordingLearner();
        RecordingLearner ppoB = new RecordingLearner();
        try (RewardRelearner a = new RewardRelearner(ppoA, initial.copy(), c, labelled, settings, BATCH);
                RewardRelearner b = new RewardRelearner(ppoB, initial.copy(), c, labelled, settings, BATCH)) {
            // a: one batch refitted and handed over, a second half full, an episode in progress
            for (int e = 0; e < 9; e++) {
                driftingFailure(a, e);
                a.update();
            }
            for (int i = 0; i < 4; i++) {
                a.offer(new StepRecord(new float[] {0.1f * i, 0.4f}, new float[] {1}, new float[] {1}, 0, 0, 0,
                        new float[] {0.1f * i + 0.1f, 0.4f}, false, false, false, false));
            }
            java.nio.file.Path ckpt = java.nio.file.Files.createDirectory(dir.resolve("ckpt"));
            a.saveState(ckpt);
            b.restoreState(ckpt);
            assertEquals(a.refits(), b.refits());
            assertEquals(1, ppoB.updates);
            // both go on alike: the same refits, the same rewards handed to PPO
            for (RewardRelearner l : List.of(a, b)) {
                for (int e = 9; e < 20; e++) {
                    driftingFailure(l, e);
                    l.update();
                }
            }
            assertEquals(a.refits(), b.refits());
            assertTrue(a.refits().size() >= 3, a.refits().toString());
            List<StepRecord> lastA = ppoA.offered.subList(ppoA.offered.size() - BATCH, ppoA.offered.size());
            List<StepRecord> lastB = ppoB.offered.subList(ppoB.offered.size() - BATCH, ppoB.offered.size());
            for (int i = 0; i < BATCH; i++) {
                assertEquals(lastA.get(i).reward(), lastB.get(i).reward(), 0.0, "step " + i);
            }
        }
    }
}
