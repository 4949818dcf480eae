package io.farl.model.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class FailureToGoTest {

    @Test
    void shouldDiscountTheComingFailureBackThroughItsEpisodeOnly() {
        TransitionData d = TransitionDataTest.threeEpisodes();
        // expert 0,1 (no failure); failure 2,3,4 (failure at 4); recovery 5
        assertArrayEquals(new float[] {0, 0, 0.25f, 0.5f, 1, 0}, d.failureToGo(0.5), 1e-6f);
        // discount 0: the failure step's own label
        assertArrayEquals(new float[] {0, 0, 0, 0, 1, 0}, d.failureToGo(0), 1e-6f);
        // discount 1: every step of a failing episode is a positive, capped at 1
        assertArrayEquals(new float[] {0, 0, 1, 1, 1, 0}, d.failureToGo(1), 1e-6f);
        assertThrows(IllegalArgumentException.class, () -> d.failureToGo(1.5));
    }
}
