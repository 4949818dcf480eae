package io.farl.robot.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RobotDescriptionTest {

    private static final Workspace BOX = new Workspace(-0.5, 0.3, 0.0, 0.5, 1.0, 0.4);

    private static RobotDescription describe(List<Field> obs, double[] low, double[] high) {
        return new RobotDescription("arm", obs, List.of(new Field("delta_pos", 0, 3, "1"), new Field("gripper", 3, 1,
                "1")), low, high, BOX, 0.2, 100_000_000L);
    }

    @Test
    void shouldReportSizesAndRate() {
        RobotDescription d = describe(List.of(new Field("hand_pos", 0, 3, "m"), new Field("goal_pos", 3, 3, "m")),
                new double[] {-1, -1, -1, -1}, new double[] {1, 1, 1, 1});
        assertEquals(6, d.observationSize());
        assertEquals(4, d.actionSize());
        assertEquals(10.0, d.controlRateHz(), 1e-12);
        assertEquals(3, d.observationField("goal_pos").offset());
    }

    @Test
    void shouldRejectGapsInLayout() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> describe(
                List.of(new Field("hand_pos", 0, 3, "m"), new Field("goal_pos", 4, 3, "m")), new double[] {-1, -1, -1,
                        -1}, new double[] {1, 1, 1, 1}));
        assertTrue(e.getMessage().contains("goal_pos"), e.getMessage());
    }

    @Test
    void shouldRejectNonFiniteOrInvertedActionBounds() {
        List<Field> obs = List.of(new Field("hand_pos", 0, 3, "m"));
        assertThrows(IllegalArgumentException.class, () -> describe(obs, new double[] {-1, Double.NaN, -1, -1},
                new double[] {1, 1, 1, 1}));
        assertThrows(IllegalArgumentException.class, () -> describe(obs, new double[] {-1, 1, -1, -1},
                new double[] {1, -1, 1, 1}));
        assertThrows(IllegalArgumentException.class, () -> describe(obs, new double[] {-1, -1, -1},
                new double[] {1, 1, 1}));
    }

    @Test
    void shouldNotLeakMutableBounds() {
        double[] low = {-1, -1, -1, -1};
        RobotDescription d = describe(List.of(new Field("hand_pos", 0, 3, "m")), low, new double[] {1, 1, 1, 1});
        low[0] = 5;
        d.actionLow()[1] = 7;
        assertEquals(-1, d.actionLow()[0]);
        assertEquals(-1, d.actionLow()[1]);
    }

    @Test
    void workspaceShouldContainAndEnclose() {
        assertTrue(BOX.contains(0, 0.5, 0.1));
        assertTrue(!BOX.contains(0, 0.2, 0.1));
        assertTrue(BOX.encloses(new Workspace(-0.4, 0.4, 0.0, 0.4, 0.9, 0.3)));
        assertTrue(!BOX.encloses(new Workspace(-0.6, 0.4, 0.0, 0.4, 0.9, 0.3)));
        assertThrows(IllegalArgumentException.class, () -> new Workspace(0, 0, 0, 0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new Workspace(0, 0, 0, Double.POSITIVE_INFINITY, 1, 1));
    }

    @Test
    void valuesShouldFindFirstNonFinite() {
        assertEquals(-1, Values.firstNonFinite(new double[] {0, 1}));
        assertEquals(1, Values.firstNonFinite(new double[] {0, Double.NaN, Double.POSITIVE_INFINITY}));
        assertEquals(0, new Observation(0, 0, new double[] {Double.NEGATIVE_INFINITY}).firstNonFinite());
        assertEquals(5, new Observation(10, 1, new double[1]).ageNanos(15));
    }
}
