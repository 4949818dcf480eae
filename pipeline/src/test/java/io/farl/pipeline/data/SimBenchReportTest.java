package io.farl.pipeline.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.farl.robot.sim.DemoKind;
import io.farl.robot.sim.DemoStats;
import io.farl.robot.sim.TaskId;
import org.junit.jupiter.api.Test;

class SimBenchReportTest {

    private static DemoStats stats(DemoKind kind, int successes, int irFailures, int safeReached) {
        return new DemoStats(TaskId.BOUNDED_PUSH, kind, 10, successes, irFailures, safeReached,
                10 - successes - irFailures, 50, 1000);
    }

    @Test
    void shouldJudgeEachDemonstratorByItsOwnTarget() {
        assertTrue(SimBenchReport.meetsTarget(stats(DemoKind.EXPERT, 9, 1, 0)));
        assertFalse(SimBenchReport.meetsTarget(stats(DemoKind.EXPERT, 8, 2, 0)));
        assertTrue(SimBenchReport.meetsTarget(stats(DemoKind.FAILURE, 0, 5, 0)));
        assertFalse(SimBenchReport.meetsTarget(stats(DemoKind.FAILURE, 6, 4, 0)));
        assertTrue(SimBenchReport.meetsTarget(stats(DemoKind.RECOVERY, 0, 1, 9)));
        assertFalse(SimBenchReport.meetsTarget(stats(DemoKind.RECOVERY, 9, 0, 8)), "recovery counts safe states");
        assertEquals("safe>=90%", SimBenchReport.target(DemoKind.RECOVERY));
    }
}
