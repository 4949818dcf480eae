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
}
