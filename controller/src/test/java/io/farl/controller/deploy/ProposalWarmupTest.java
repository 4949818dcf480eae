package io.farl.controller.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.farl.robot.api.Field;
import io.farl.robot.api.RobotDescription;
import io.farl.robot.api.Workspace;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ProposalWarmupTest {
    private static final RobotDescription D = new RobotDescription("t", List.of(new Field("hand_pos", 0, 3, "m")),
            List.of(new Field("v", 0, 3, "1")), new double[] {-1, -1, -1}, new double[] {1, 1, 1},
            new Workspace(-1, -1, 0, 1, 1, 1), 0.5, 10_000_000L);

    @Test
    void shouldCallUntilFastAfterTheMinimumAndStopAtTheMaximum() {
        AtomicInteger calls = new AtomicInteger();
        ProposalWarmup.run(o -> {
            assertEquals(3, o.values().length);
            calls.incrementAndGet();
            return null;
        }, D, 5, 50, Long.MAX_VALUE);
        assertEquals(5, calls.get(), "fast from the start: the minimum");
        calls.set(0);
        ProposalWarmup.run(o -> {
            calls.incrementAndGet();
            return null;
        }, D, 5, 50, -1);
        assertEquals(50, calls.get(), "never fast enough: the maximum");
        assertThrows(IllegalArgumentException.class, () -> ProposalWarmup.run(o -> null, D, 0, 1, 1));
    }
}
