package io.farl.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EventRingTest {

    @Test
    void shouldHandOverInOrderAndDropTheNewestWhenFull() {
        EventRing<Integer> ring = new EventRing<>(4);
        for (int i = 0; i < 4; i++) {
            assertTrue(ring.offer(i));
        }
        assertFalse(ring.offer(4));
        assertEquals(1, ring.dropped());
        for (int i = 0; i < 4; i++) {
            assertEquals(i, ring.poll());
        }
        assertNull(ring.poll());
        assertTrue(ring.offer(5), "room again once consumed");
        assertEquals(5, ring.poll());
    }
}
