package io.farl.model.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.farl.model.api.EpisodeSource;
import io.farl.model.api.ProgressListener;
import io.farl.model.api.RewardModelConfig;
import io.farl.model.api.TransitionData;
import io.farl.model.jvm.JvmStateReward;
import io.farl.model.jvm.ModelDirectory;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** TW-CRL's reward: positive where successful episodes end, negative where failed ones do. */
@ExtendWith(NdLeakCheck.class)
class RewardTrainerTest {

    /**
     * Episodes on a line from x = 0: a successful one walks to the goal at x = +1 and ends there (terminal, no
     * failure); a failed one walks to x = −1 and fails there; a timed-out one wanders near 0; a recovery one is left
     * out of TW-CRL.
     */
    private static TransitionData line() {
        TransitionData.Builder b = TransitionData.builder(2, 1);
        for (int e = 0; e < 40; e++) {
            int kind = e % 4;
            int t = 10 + e % 3;
            float[][] o = new float[t + 1][];
            float[][] a = new float[t][];
            float[] r = new float[t];
            boolean[] c = new boolean[t];
            float dir = kind == 0 ? 1 : kind == 1 ? -1 : 0;
            for (int i = 0; i <= t; i++) {
                float x = kind == 2 ? (float) (0.05 * Math.sin(i + e)) : dir * i / t;
                o[i] = new float[] {x, 0.5f};
            }
            for (int i = 0; i < t; i++) {
                a[i] = new float[] {dir};
            }
            c[t - 1] = kind == 1;
            EpisodeSource source = kind == 0 ? EpisodeSource.EXPERT : kind == 1 ? EpisodeSource.FAILURE
                    : kind == 2 ? EpisodeSource.POLICY : EpisodeSource.RECOVERY;
            b.addEpisode(source, o, a, r, c, kind != 2);
        }
        return b.build();
    }

    @Test
    void shouldLabelSuccessfulStatesPositiveAndFailedOnesNegativeRisingToTheEnd() {
        TransitionData d = line();
        RewardModelConfig c = RewardModelConfig.defaults(2, 1);
        RewardTrainer.Labelled l = RewardTrainer.label(d, c);
        assertEquals(10, l.successEpisodes());
        assertEquals(20, l.failedEpisodes(), "IR failures and time-outs; recovery episodes are left out");
        assertEquals(Boolean.TRUE, RewardTrainer.succeeded(d, 0));
        assertEquals(Boolean.FALSE, RewardTrainer.succeeded(d, 1));
        assertEquals(Boolean.FALSE, RewardTrainer.succeeded(d, 2), "a time-out is a failure");
        assertEquals(null, RewardTrainer.succeeded(d, 3));
        // episode 0: 11 states (10 actions), the last labelled +1 and the first 0
        assertEquals(0f, l.labels()[0]);
        assertEquals(1f, l.labels()[10], 1e-6);
        assertEquals(1f, l.observations()[2 * 10], 1e-6, "the final state after the last action is labelled too");
        // episode 1 follows with 12 states, ending at −1
        assertEquals(-1f, l.labels()[11 + 11], 1e-6);
    }

    @Test
    void shouldLearnAPositiveRewardAtTheGoalAndANegativeOneAtTheTrap(@TempDir Path dir) {
        RewardModelConfig c = new RewardModelConfig(2, 32, 2, 8, true, 60, 64, 3e-3, 0.2, 5);
        RewardTrainer.Result r = RewardTrainer.train(RewardTrainer.label(line(), c), c, ProgressListener.NONE);
        JvmStateReward model = r.model(new Properties());
        double goal = model.reward(new float[] {1f, 0.5f});
        double trap = model.reward(new float[] {-1f, 0.5f});
        double start = model.reward(new float[] {0f, 0.5f});
        assertTrue(goal > 0.6 && trap < -0.6 && Math.abs(start) < 0.3, "goal " + goal + ", trap " + trap + ", start "
                + start);
        var epochs = r.report().epochMetrics();
        assertTrue(epochs.get(epochs.size() - 1).get("mse") < 0.5 * epochs.get(0).get("mse"), epochs.toString());

        // stored and read back through the model directory: the same reward
        Properties cfg = new Properties();
        io.farl.model.jvm.ConfigProperties.put(cfg, "", c);
        Path version = ModelDirectory.write(dir.resolve("reward-model"), ModelDirectory.REWARD_MODEL_KIND,
                r.weights(), cfg, Map.of());
        JvmStateReward read = JvmStateReward.read(version);
        assertEquals(goal, read.reward(new float[] {1f, 0.5f}), 1e-6);
        assertThrows(IllegalArgumentException.class, () -> read.reward(new float[3]));
    }

    @Test
    void shouldRefuseDataWithoutFailures() {
        RewardModelConfig c = RewardModelConfig.defaults(2, 1);
        TransitionData onlySuccess = line().selectSources(EpisodeSource.EXPERT);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RewardTrainer.train(RewardTrainer.label(onlySuccess, c), c, ProgressListener.NONE));
        assertTrue(e.getMessage().contains("failed"), e.getMessage());
    }
}
