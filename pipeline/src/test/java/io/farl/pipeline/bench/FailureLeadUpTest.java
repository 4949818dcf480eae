package io.farl.pipeline.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.farl.controller.session.EpisodeStats;
import java.util.List;
import org.junit.jupiter.api.Test;

class FailureLeadUpTest {

    private static EpisodeStats failed(String mode, int sinceOverride) {
        return failed(mode, sinceOverride, 20);
    }

    private static EpisodeStats failed(String mode, int sinceOverride, int alarmStep) {
        return new EpisodeStats(0, 1, 40, 40, -1, false, 1, false, 3, 1, 0, 1, 0, 0, 3, 39, List.of(5, alarmStep),
                mode, sinceOverride);
    }

    @Test
    void shouldSortEachFailureByWhoHadTheArmAndHowLongAgoTheGateHandedItBack() {
        EpisodeStats success = new EpisodeStats(1, 2, 30, 70, 1, true, 0, false, 0, 0, 0, 0, 0, 0, 0, -1, List.of());
        EpisodeStats restored = new EpisodeStats(2, 3, 40, 110, -1, false, 1, false, 0, 0, 0, 0, 0, 0, 0, 39,
                List.of());
        FailureLeadUp u = FailureLeadUp.of(List.of(success, failed("RECOVERY", 0), failed("RECOVERY", 0, 37),
                failed("RECOVERY", 0, 38), failed("HOLD", 0),
                failed("TASK", 1), failed("TASK", 2), failed("TASK", 3), failed("TASK", 6), failed("TASK", 10),
                failed("TASK", 11), failed("TASK", -1), restored));

        assertEquals(12, u.failureEpisodes());
        assertEquals(1, u.unknown());
        assertEquals(3, u.duringRecovery());
        assertEquals(2, u.recoveryAlarmWithin2(), "alarms at steps 37 and 38 came 2 and 1 steps before step 39");
        assertEquals(2, u.lateAlarmWarnedBefore(), "both episodes had an alarm at step 5 too");
        assertEquals(0, u.recoveryAlarmWithin10());
        assertEquals(1, u.recoveryAlarmEarlier(), "the alarm at step 20 came 19 steps before");
        assertEquals(1, u.duringHold());
        assertEquals(2, u.handedBackWithin2());
        assertEquals(1, u.handedBackWithin5());
        assertEquals(2, u.handedBackWithin10());
        assertEquals(1, u.handedBackEarlier());
        assertEquals(6, u.handedBack());
        assertEquals(1, u.neverOverridden());
        FailureLeadUp twice = u.plus(u);
        assertEquals(24, twice.failureEpisodes());
        assertEquals(4, twice.recoveryAlarmWithin2());
        assertEquals(12, twice.handedBack());
        assertTrue(u.describe().contains("3 with recovery acting"), u.describe());
    }
}
