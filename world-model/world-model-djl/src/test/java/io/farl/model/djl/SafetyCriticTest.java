package io.farl.model.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.farl.model.api.EpisodeSource;
import io.farl.model.api.TransitionData;
import java.util.Random;
import org.junit.jupiter.api.Test;

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
    void shouldDiscountFailureToGoWithinEachEpisode() {
        TransitionData d = line(2, 1);
        float[] y = SafetyCritic.targets(d, 0.5);
        int end = d.episodeEnd(0);
        assertTrue(d.failures()[end - 1]);
        assertArrayEquals(new float[] {1f, 0.5f, 0.25f}, new float[] {y[end - 1], y[end - 2], y[end - 3]}, 1e-6f);
        for (int i = d.episodeStart(1); i < d.episodeEnd(1); i++) {
            assertTrue(y[i] == 0, "no failure in the second episode");
        }
    }

    @Test
    void shouldScoreStatesNearAFailureAboveSafeOnes() {
        SafetyCritic c = SafetyCritic.train(line(60, 2), 16, 30, 0.9, 3);
        double near = c.cost(new float[] {0.9f, 0}, new float[] {0.6f});
        double safe = c.cost(new float[] {0.1f, 0}, new float[] {0.02f});
        assertTrue(near > 0.5 && safe < 0.2, "near " + near + ", safe " + safe);
        SafetyCritic copy = c.copy();
        assertTrue(copy.cost(new float[] {0.9f, 0}, new float[] {0.6f}) == near, "copies share the weights");
    }
}
