package io.farl.model.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RewardModelConfigTest {

    @Test
    void shouldWeighTheFirstStateZeroTheLastOneAndRiseInBetween() {
        RewardModelConfig c = RewardModelConfig.defaults(4, 1);
        for (int length : new int[] {2, 5, 40, 250, 5000}) {
            assertEquals(0.0, c.weight(0, length), 1e-12, "first of " + length);
            assertEquals(1.0, c.weight(length - 1, length), 1e-12, "last of " + length);
            double previous = -1;
            for (int t = 0; t < length; t++) {
                double w = c.weight(t, length);
                assertTrue(Double.isFinite(w) && w >= previous - 1e-12 && w >= 0 && w <= 1,
                        "w(" + t + ") of " + length + " = " + w + " after " + previous);
                previous = w;
            }
        }
        // α·T = 8: the weight sits in the second half of an episode
        assertTrue(c.weight(10, 41) < 0.05, "a quarter in: " + c.weight(10, 41));
        assertTrue(c.weight(30, 41) > 0.9, "three quarters in: " + c.weight(30, 41));
        assertEquals(1.0, c.weight(0, 1), "a one-state episode");
    }

    @Test
    void shouldLabelEveryStateOneWithoutTimeWeighting() {
        RewardModelConfig c = new RewardModelConfig(4, 8, 1, 8, false, 1, 4, 1e-3, 0.2, 1);
        assertEquals(1.0, c.weight(0, 40));
        assertEquals(1.0, c.weight(20, 40));
    }

    @Test
    void shouldRefuseBadSettings() {
        assertThrows(IllegalArgumentException.class, () -> new RewardModelConfig(4, 8, 1, 0, true, 1, 4, 1e-3, 0.2, 1));
        assertThrows(IllegalArgumentException.class, () -> new RewardModelConfig(4, 8, 1, 8, true, 1, 4, 1e-3, 0.7, 1));
    }
}
