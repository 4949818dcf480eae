package io.farl.pipeline.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.farl.controller.session.EpisodeStats;
import java.util.List;
import org.junit.jupiter.api.Test;

class FailureLeadUpTest {

    /** A failure at step 39 with {@code overrides} overridden steps in the episode. */
    private static EpisodeStats failed(String mode, int sinceOverride, int stretch, int overrides) {
        return new EpisodeStats(0, 1, 40, 40, -1, false, 1, false, overrides, 1, 0, 1, 0, 0, overrides, 39,
                List.of(39 - Math.max(stretch, 1)), mode, sinceOverride, stretch);
    }

    @Test
    void shouldSortEachFailureByWhoHadTheArmAndForHowLong() {
        EpisodeStats success = new EpisodeStats(1, 2, 30, 70, 1, true, 0, false, 0, 0, 0, 0, 0, 0, 0, -1, List.of());
        EpisodeStats restored = new EpisodeStats(2, 3, 40, 110, -1, false, 1, false, 0, 0, 0, 0, 0, 0, 0, 39,
                List.of());
        FailureLeadUp u = FailureLeadUp.of(List.of(success,
                failed("RECOVERY", 0, 1, 1), failed("RECOVERY", 0, 2, 9), failed("RECOVERY", 0, 3, 3),
                failed("RECOVERY", 0, 11, 11), failed("HOLD", 0, 10, 10),
                failed("TASK", 1, 0, 5), failed("TASK", 2, 0, 5), failed("TASK", 3, 0, 5), failed("TASK", 6, 0, 5),
                failed("TASK", 10, 0, 5), failed("TASK", 11, 0, 5), failed("TASK", -1, 0, 0), restored));

        assertEquals(13, u.failureEpisodes());
        assertEquals(1, u.unknown());
        assertEquals(4, u.duringRecovery());
        assertEquals(1, u.duringHold());
        assertEquals(2, u.overriddenWithin2(), "stretches of 1 and 2 steps");
        assertEquals(1, u.lateWarnedBefore(), "9 overridden steps, only the last 2 in the failing stretch");
        assertEquals(2, u.overriddenWithin10(), "stretches of 3 and 10 steps");
        assertEquals(1, u.overriddenLonger());
        assertEquals(2, u.handedBackWithin2());
        assertEquals(1, u.handedBackWithin5());
        assertEquals(2, u.handedBackWithin10());
        assertEquals(1, u.handedBackEarlier());
        assertEquals(6, u.handedBack());
        assertEquals(1, u.neverOverridden());
        FailureLeadUp twice = u.plus(u);
        assertEquals(26, twice.failureEpisodes());
        assertEquals(12, twice.handedBack());
        assertEquals(2, twice.lateWarnedBefore());
        assertTrue(u.describe().contains("4 with recovery acting and 1 holding"), u.describe());
    }
}
