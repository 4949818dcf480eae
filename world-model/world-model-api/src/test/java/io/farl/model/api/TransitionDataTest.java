package io.farl.model.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TransitionDataTest {

    static TransitionData threeEpisodes() {
        TransitionData.Builder b = TransitionData.builder(2, 1);
        b.addEpisode(EpisodeSource.EXPERT, new float[][] {{0, 0}, {1, 0}, {2, 0}}, new float[][] {{1}, {1}},
                new float[] {1, 1}, new boolean[] {false, false}, true);
        b.addEpisode(EpisodeSource.FAILURE, new float[][] {{0, 1}, {0, 2}, {0, 3}, {0, 4}},
                new float[][] {{-1}, {-1}, {-1}}, new float[] {0, 0, -1}, new boolean[] {false, false, true}, true);
        b.addEpisode(EpisodeSource.RECOVERY, new float[][] {{5, 5}, {4, 4}}, new float[][] {{0.5f}},
                new float[] {2}, new boolean[] {false}, false);
        return b.build();
    }

    @Test
    void shouldLayOutEpisodesContiguouslyWithNextObservations() {
        TransitionData d = threeEpisodes();
        assertEquals(6, d.size());
        assertEquals(3, d.episodeCount());
        assertArrayEquals(new int[] {0, 0, 1, 1, 1, 2}, d.episodeIds());
        assertArrayEquals(new int[] {0, 1, 0, 1, 2, 0}, d.steps());
        assertEquals(4f, d.nextObservations()[4 * 2 + 1]);
        assertTrue(d.terminals()[1]);
        assertFalse(d.terminals()[5]);
        assertTrue(d.hasSuccessor(0));
        assertFalse(d.hasSuccessor(1));
        assertEquals(EpisodeSource.RECOVERY, d.source(5));
        assertEquals(1, d.failureCount());
    }

    @Test
    void shouldComputeDiscountedReturnsWithinEpisodes() {
        float[] g = threeEpisodes().returnsToGo(0.5);
        assertArrayEquals(new float[] {1.5f, 1f, -0.25f, -0.5f, -1f, 2f}, g, 1e-6f);
    }

    @Test
    void shouldSelectAndSplitByWholeEpisodes() {
        TransitionData d = threeEpisodes();
        TransitionData failures = d.selectSources(EpisodeSource.FAILURE);
        assertEquals(3, failures.size());
        assertArrayEquals(new int[] {0, 0, 0}, failures.episodeIds());
        TransitionData.Split split = d.splitEpisodes(0.5, 3);
        assertEquals(d.size(), split.train().size() + split.heldOut().size());
        assertTrue(split.train().episodeCount() > 0, "three single-episode kinds at 0.5: something stays to train");
        assertTrue(split.heldOut().episodeCount() > 0);
    }

    /** {@code n} episodes of {@code source}, each tagged by its first observation {@code tag + i}. */
    static void addEpisodes(TransitionData.Builder b, EpisodeSource source, int n, int tag, boolean failing) {
        for (int i = 0; i < n; i++) {
            int t = 2 + i % 3;
            float[][] obs = new float[t + 1][];
            float[][] act = new float[t][];
            for (int k = 0; k <= t; k++) {
                obs[k] = new float[] {tag + i, k};
            }
            for (int k = 0; k < t; k++) {
                act[k] = new float[] {0.5f};
            }
            boolean[] fail = new boolean[t];
            fail[t - 1] = failing;
            b.addEpisode(source, obs, act, new float[t], fail, failing);
        }
    }

    /** The tags (first observations) of the episodes of {@code d}. */
    static java.util.Set<Integer> tags(TransitionData d) {
        java.util.Set<Integer> tags = new java.util.HashSet<>();
        for (int e = 0; e < d.episodeCount(); e++) {
            assertTrue(tags.add((int) d.observations()[d.episodeStart(e) * d.observationSize()]), "episode twice");
        }
        return tags;
    }

    static int failureEpisodes(TransitionData d) {
        int n = 0;
        for (int e = 0; e < d.episodeCount(); e++) {
            for (int i = d.episodeStart(e); i < d.episodeEnd(e); i++) {
                if (d.failures()[i]) {
                    n++;
                    break;
                }
            }
        }
        return n;
    }

    @Test
    void shouldSplitIntoDisjointCoveringStratifiedParts() {
        int[][] layouts = {{20, 10, 5}, {30, 4, 3}, {6, 2, 1}, {1, 1, 1}, {12, 12, 12}};
        double[] fractions = {0.1, 0.2, 0.3, 0.5};
        for (int[] layout : layouts) {
            TransitionData.Builder b = TransitionData.builder(2, 1);
            addEpisodes(b, EpisodeSource.EXPERT, layout[0], 0, false);
            addEpisodes(b, EpisodeSource.FAILURE, layout[1], 1000, true);
            addEpisodes(b, EpisodeSource.RECOVERY, layout[2], 2000, false);
            TransitionData d = b.build();
            int episodes = d.episodeCount();
            for (double f : fractions) {
                for (long seed = 0; seed < 5; seed++) {
                    String what = java.util.Arrays.toString(layout) + " fraction " + f + " seed " + seed;
                    TransitionData.Split split = d.splitEpisodes(f, seed);
                    java.util.Set<Integer> train = tags(split.train());
                    java.util.Set<Integer> held = tags(split.heldOut());
                    assertFalse(train.isEmpty(), "train split empty: " + what);
                    assertFalse(held.isEmpty(), "held-out split empty: " + what);
                    java.util.Set<Integer> both = new java.util.HashSet<>(train);
                    both.retainAll(held);
                    assertTrue(both.isEmpty(), "episodes in both splits " + both + ": " + what);
                    java.util.Set<Integer> all = new java.util.HashSet<>(train);
                    all.addAll(held);
                    assertEquals(tags(d), all, "splits cover every episode: " + what);
                    assertEquals(d.size(), split.train().size() + split.heldOut().size(), what);
                    assertEquals(Math.round(episodes * f), held.size(), 1.0,
                            "held-out episodes " + held.size() + " of " + episodes + ": " + what);
                    if (layout[1] >= 2) {
                        assertTrue(failureEpisodes(split.train()) > 0, "no failure episode to train on: " + what);
                        assertTrue(failureEpisodes(split.heldOut()) > 0, "no failure episode held out: " + what);
                    }
                }
            }
        }
    }

    @Test
    void shouldSplitTheSameWayForTheSameSeed() {
        TransitionData.Builder b = TransitionData.builder(2, 1);
        addEpisodes(b, EpisodeSource.EXPERT, 10, 0, false);
        addEpisodes(b, EpisodeSource.FAILURE, 5, 1000, true);
        TransitionData d = b.build();
        assertEquals(tags(d.splitEpisodes(0.3, 4).heldOut()), tags(d.splitEpisodes(0.3, 4).heldOut()));
        assertEquals(tags(d), tags(d.splitEpisodes(0, 4).train()), "fraction 0 holds nothing out");
    }

    @Test
    void shouldRejectMalformedEpisodes() {
        TransitionData.Builder b = TransitionData.builder(2, 1);
        assertThrows(IllegalArgumentException.class, () -> b.addEpisode(EpisodeSource.EXPERT,
                new float[][] {{0, 0}}, new float[][] {{1}}, new float[] {1}, new boolean[] {false}, true));
        assertThrows(IllegalArgumentException.class, () -> b.addEpisode(EpisodeSource.EXPERT,
                new float[][] {{0, 0}, {0, 0}}, new float[][] {{2}}, new float[] {1}, new boolean[] {false}, true));
        assertThrows(IllegalArgumentException.class, () -> b.addEpisode(EpisodeSource.EXPERT,
                new float[][] {{0, Float.NaN}, {0, 0}}, new float[][] {{0}}, new float[] {1}, new boolean[] {false},
                true));
    }

    @Test
    void recoveryRewardsPayForASafeEndPunishFailuresAndChargeEveryStep() {
        TransitionData d = threeEpisodes();
        // episode 0 ends terminal without a failure (safe end), episode 1 fails on its last step, episode 2 times out
        assertArrayEquals(new float[] {-0.01f, 0.99f, -0.01f, -0.01f, -1.01f, -0.01f}, d.recoveryRewards(0.01), 1e-6f);
        TransitionData r = d.withRewards(d.recoveryRewards(0.01));
        assertEquals(0.99f, r.rewards()[1], 1e-6f);
        assertEquals(1f, d.rewards()[1]);
        assertArrayEquals(d.observations(), r.observations());
        assertArrayEquals(d.terminals(), r.terminals());
        assertEquals(d.episodeCount(), r.episodeCount());
        assertThrows(IllegalArgumentException.class, () -> d.withRewards(new float[5]));
        assertThrows(IllegalArgumentException.class, () -> d.withRewards(new float[] {0, 0, 0, Float.NaN, 0, 0}));
        assertThrows(IllegalArgumentException.class, () -> d.recoveryRewards(-0.1));
    }
}
