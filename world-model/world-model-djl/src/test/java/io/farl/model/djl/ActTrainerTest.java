package io.farl.model.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.farl.model.api.ActConfig;
import io.farl.model.api.EpisodeSource;
import io.farl.model.api.PolicyAction;
import io.farl.model.api.TransitionData;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The failure-aware chunking transformer learns its demonstrations' action chunks, acts from the PB of the nearest
 * successful demonstration, and scores failures by attention discrepancy.
 */
@ExtendWith(NdLeakCheck.class)
class ActTrainerTest {

    /**
     * On a line: successful demonstrations start near x = 0.1·k and push right (+0.5) until x passes 1; failed ones
     * start there too but push left (−0.5) for 8 steps. The second coordinate is the step's phase.
     */
    private static ActTrainer.Demos demos() {
        TransitionData.Builder b = TransitionData.builder(2, 1);
        int count = 16;
        boolean[] success = new boolean[count];
        int[] episodes = new int[count];
        for (int e = 0; e < count; e++) {
            boolean ok = e % 2 == 0;
            float a = ok ? 0.5f : -0.5f;
            int t = 8;
            float[][] o = new float[t + 1][];
            float[][] act = new float[t][];
            float x = 0.02f * e;
            for (int i = 0; i <= t; i++) {
                o[i] = new float[] {x, i / (float) t};
                x += 0.15f * a;
            }
            for (int i = 0; i < t; i++) {
                act[i] = new float[] {a};
            }
            boolean[] fail = new boolean[t];
            fail[t - 1] = !ok;
            b.addEpisode(ok ? EpisodeSource.EXPERT : EpisodeSource.FAILURE, o, act, new float[t], fail, true);
            success[e] = ok;
            episodes[e] = e;
        }
        return new ActTrainer.Demos(b.build(), episodes, success);
    }

    private static ActConfig config(double pbScale, double klWeight) {
        return config(pbScale, klWeight, 1.0);
    }

    private static ActConfig config(double pbScale, double klWeight, double klCap) {
        return new ActConfig(2, 1, 4, 16, 2, 1, 1, 32, 2, 3, pbScale, klWeight, klCap, 40, 16, 3e-3, 7);
    }

    @Test
    void shouldStopRewardingTheAttentionDivergenceBeyondTheCap() {
        ActTrainer.Demos d = demos();
        // a KL weight large enough to dominate the imitation loss
        double free = lastKl(ActTrainer.train(d, config(1.0, 1.0, Double.POSITIVE_INFINITY), (p, e, m) -> { }));
        double capped = lastKl(ActTrainer.train(d, config(1.0, 1.0, 0.05), (p, e, m) -> { }));
        System.out.println("attention divergence after training: uncapped " + free + ", capped at 0.05 " + capped);
        assertTrue(free > 1.0, "the uncapped term runs away: " + free);
        assertTrue(capped < 0.2, "the capped term stays near its cap: " + capped);
    }

    private static double lastKl(ActTrainer.Result r) {
        var epochs = r.report().epochMetrics();
        return epochs.get(epochs.size() - 1).get("klSym");
    }

    @Test
    void shouldLearnTheChunksAndActFromTheNearestSuccessfulDemonstration(@TempDir Path dir) {
        ActTrainer.Demos d = demos();
        ActTrainer.Result r = ActTrainer.train(d, config(1.0, 0.01), (phase, epoch, m) -> { });
        var epochs = r.report().epochMetrics();
        double first = epochs.get(0).get("l1");
        double last = epochs.get(epochs.size() - 1).get("l1");
        assertTrue(last < 0.1 && last < first / 3, "L1 " + first + " -> " + last);
        assertTrue(epochs.get(epochs.size() - 1).get("klSym") > 0, epochs.get(epochs.size() - 1).toString());

        Path saved = ActPolicy.save(dir.resolve("act"), r, Map.of());
        try (ActPolicy p = ActPolicy.load(saved)) {
            p.startEpisode();
            // the first observation of a successful demonstration: its PB (a successful one) and its push right
            PolicyAction a = p.act(new float[] {0.04f, 0f}, true);
            assertTrue(d.success()[p.pbRow()], "a successful demonstration's PB: row " + p.pbRow());
            assertTrue(a.action()[0] > 0.3, "pushes right like the successes: " + a.action()[0]);
            for (int i = 1; i < 6; i++) {
                float[] next = p.act(new float[] {0.04f + 0.075f * i, i / 8f}, true).action();
                assertTrue(next[0] > 0.3, "step " + i + ": " + next[0]);
            }
            // a new episode takes its PB afresh from its own first observation
            p.startEpisode();
            assertEquals(-1, p.pbRow());
            p.act(new float[] {0.28f, 0f}, true);
            assertEquals(14, p.pbRow(), "the successful demonstration that started at 0.28");
        }
    }

    @Test
    void shouldScoreOnlyFailuresAndScoreZeroWhenThePbCannotMoveTheAttention() {
        ActTrainer.Demos d = demos();
        ActConfig c = config(1.0, 0.01);
        ActTrainer.Result r = ActTrainer.train(d, c, (phase, epoch, m) -> { });
        double[] k = ActTrainer.failureDiscrepancy(d, c, r.weights());
        for (int row = 0; row < k.length; row++) {
            if (d.success()[row]) {
                assertTrue(Double.isNaN(k[row]), "successes are not scored: row " + row);
            } else {
                assertTrue(k[row] > 0 && Double.isFinite(k[row]), "row " + row + ": " + k[row]);
            }
        }
        // with alpha_pb = 0 the PB never reaches the attention: every failure scores 0
        ActConfig off = config(0.0, 0.01);
        ActTrainer.Result r0 = ActTrainer.train(d, off, (phase, epoch, m) -> { });
        double[] k0 = ActTrainer.failureDiscrepancy(d, off, r0.weights());
        for (int row = 1; row < k0.length; row += 2) {
            assertEquals(0.0, k0[row], 1e-6, "row " + row);
        }
    }
}
