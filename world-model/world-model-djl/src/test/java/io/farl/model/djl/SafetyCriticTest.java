package io.farl.model.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.farl.model.api.EpisodeSource;
import io.farl.model.api.TransitionData;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The DJL-trained safety critic of the {@code farl-critic} ablation learns to tell failing from safe actions. */
@ExtendWith(NdLeakCheck.class)
class SafetyCriticTest {

    /** Episodes on a line: actions push x; failure once x passes 1. */
    private static TransitionData line(int episodes, long seed) {
        Random rnd = new Random(seed);
        TransitionData.Builder b = TransitionData.builder(2, 1);
        for (int e = 0; e < episodes; e++) {
            boolean failing = e % 2 == 0;
            int t = 12;
            float[][] o = new float[t + 1][];
            float[][] a = new float[t][];
            float[] r = new float[t];
            boolean[] c = new boolean[t];
            float x = (float) (rnd.nextDouble() * 0.2);
            for (int i = 0; i < t; i++) {
                o[i] = new float[] {x, 0};
                a[i] = new float[] {failing ? 0.6f : 0.02f};
                x += a[i][0] * 0.2f;
                c[i] = x > 1;
            }
            o[t] = new float[] {x, 0};
            int end = t;
            for (int i = 0; i < t; i++) {
                if (c[i]) {
                    end = i + 1;
                    break;
                }
            }
            b.addEpisode(failing ? EpisodeSource.FAILURE : EpisodeSource.EXPERT, java.util.Arrays.copyOf(o, end + 1),
                    java.util.Arrays.copyOf(a, end), java.util.Arrays.copyOf(r, end),
                    java.util.Arrays.copyOf(c, end), failing && end < t);
        }
        return b.build();
    }

    @Test
    void shouldScoreStatesNearAFailureAboveSafeOnes() {
        TransitionData d = line(60, 2);
        SafetyCritic c = SafetyCritic.train(d, 16, 30, 0.9, 3);
        double near = c.cost(new float[] {0.9f, 0}, new float[] {0.6f});
        double safe = c.cost(new float[] {0.1f, 0}, new float[] {0.02f});
        assertTrue(near > 0.5 && safe < 0.2, "near " + near + ", safe " + safe);
        SafetyCritic copy = c.copy();
        assertTrue(copy.cost(new float[] {0.9f, 0}, new float[] {0.6f}) == near, "copies share the weights");

        // it learned: the weighted loss fell, and every failing transition scores above every safe one's mean
        var epochs = c.report().epochMetrics();
        assertTrue(epochs.get(epochs.size() - 1).get("weightedBce") < 0.5 * epochs.get(0).get("weightedBce"),
                epochs.toString());
        float[] y = d.failureToGo(0.9);
        double failing = 0;
        double quiet = 0;
        int nFailing = 0;
        int nQuiet = 0;
        for (int i = 0; i < d.size(); i++) {
            double score = c.cost(new float[] {d.observations()[2 * i], d.observations()[2 * i + 1]},
                    new float[] {d.actions()[i]});
            if (y[i] > 0.5) {
                failing += score;
                nFailing++;
            } else if (y[i] == 0) {
                quiet += score;
                nQuiet++;
            }
        }
        assertTrue(failing / nFailing > 0.5 && quiet / nQuiet < 0.2, "failing " + failing / nFailing + ", safe "
                + quiet / nQuiet);
    }

    @Test
    void shouldTrainDeterministicallyForASeed() {
        TransitionData d = line(20, 4);
        float[] o = {0.7f, 0};
        float[] a = {0.6f};
        assertEquals(SafetyCritic.train(d, 8, 3, 0.9, 5).cost(o, a), SafetyCritic.train(d, 8, 3, 0.9, 5).cost(o, a));
        double[] out = new double[1];
        SafetyCritic c = SafetyCritic.train(d, 8, 3, 0.9, 5);
        c.costs(new float[][] {o}, new float[][] {a}, out);
        assertEquals(c.cost(o, a), out[0]);
        assertEquals(0, c.horizonSteps());
    }
}
