package io.farl.model.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdamTest {

    @Test
    void shouldSkipANonFiniteGradientAndTrainNormallyAfterIt() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w = m.create(new float[] {1f, 2f});
            Adam adam = new Adam(m, 10).add(Map.of("w", w), 1.0);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                // d/dw sqrt(w - 1) at w = 1 is infinite
                gc.backward(w.sub(1f).sqrt().sum());
            }
            assertTrue(Double.isNaN(adam.step(0.1)), "skipped");
            assertEquals(1, adam.skippedSteps());
            assertEquals("w", adam.firstNonFiniteParameters());
            float[] before = w.toFloatArray();
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(w.square().sum());
            }
            double norm = adam.step(0.1);
            assertTrue(Double.isFinite(norm), "a finite gradient after a skipped one must not stay poisoned: " + norm);
            assertEquals(1, adam.skippedSteps());
            float[] after = w.toFloatArray();
            assertTrue(Float.isFinite(after[0]) && Float.isFinite(after[1]));
            assertNotEquals(before[0], after[0]);
            assertTrue(after[1] < before[1], "moved down the gradient of w^2");
        }
    }
}
