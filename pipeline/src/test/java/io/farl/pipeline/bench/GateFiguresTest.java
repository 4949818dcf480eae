package io.farl.pipeline.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.farl.controller.session.EpisodeStats;
import java.util.List;
import org.junit.jupiter.api.Test;

class GateFiguresTest {
    private static EpisodeStats episode(int steps, int overrides, int failureStep, List<Integer> alarmSteps) {
        int failures = failureStep >= 0 ? 1 : 0;
        return new EpisodeStats(0, 0, steps, steps, 0, false, failures, false, overrides, 0, 0, alarmSteps.size(), 0,
                0, overrides, failureStep, alarmSteps);
    }

    @Test
    void shouldCountAFailureAsWarnedOnlyWithAnAlarmAtLeastTwoStepsAhead() {
        List<EpisodeStats> eps = List.of(
                episode(50, 10, 49, List.of(5, 40)),    // warned: latest stretch 40, lead 9
                episode(30, 0, 29, List.of(28)),        // alarm one step ahead: too late
                episode(20, 0, 19, List.of()),          // no alarm
                episode(100, 20, -1, List.of(3, 60)),   // no failure
                episode(40, 4, 39, List.of(37)));       // exactly two ahead: warned, lead 2
        GateFigures g = GateFigures.of(eps, 2);
        assertEquals(240, g.steps());
        assertEquals(34, g.overrideSteps());
        assertEquals(34 / 240.0, g.overrideRate(), 1e-12);
        assertEquals(6, g.alarms());
        assertEquals(4, g.failureEpisodes());
        assertEquals(4, g.failureEpisodesTracked());
        assertEquals(2, g.warnedFailureEpisodes());
        assertEquals(0.5, g.onlineRecall(), 1e-12);
        assertEquals((9 + 2) / 2.0, g.meanLeadSteps(), 1e-12);
        assertEquals(2, g.warnedTwoAheadEpisodes());
    }

    @Test
    void shouldAlsoCountFailuresWarnedTwoStepsAheadWhenCalibrationAsksForMoreLead() {
        List<EpisodeStats> eps = List.of(
                episode(50, 10, 49, List.of(5, 40)),    // lead 9: warned at 4 and at 2
                episode(40, 4, 39, List.of(36)),        // lead 3: warned at 2 only
                episode(40, 4, 39, List.of(38)),        // lead 1: neither
                episode(20, 0, 19, List.of()));         // no alarm
        GateFigures g = GateFigures.of(eps, 4);
        assertEquals(1, g.warnedFailureEpisodes());
        assertEquals(0.25, g.onlineRecall(), 1e-12);
        assertEquals(2, g.warnedTwoAheadEpisodes());
        assertEquals(0.5, g.onlineRecallTwoAhead(), 1e-12);
        GateFigures pooled = GateFigures.pooled(List.of(g, g));
        assertEquals(4, pooled.warnedTwoAheadEpisodes());
        assertEquals(0.5, pooled.onlineRecallTwoAhead(), 1e-12);
    }

    @Test
    void shouldLeaveFailuresWithoutARecordedStepOutOfRecallAndPool() {
        EpisodeStats old = new EpisodeStats(0, 0, 30, 30, 0, false, 1, false, 0, 0, 0, 0, 0, 0, 0, -1, List.of());
        GateFigures a = GateFigures.of(List.of(old), 2);
        assertEquals(1, a.failureEpisodes());
        assertEquals(0, a.failureEpisodesTracked());
        assertNull(a.onlineRecall());
        assertNull(a.onlineRecallTwoAhead());
        assertNull(a.meanLeadSteps());
        GateFigures b = GateFigures.of(List.of(episode(50, 10, 49, List.of(40))), 2);
        GateFigures pooled = GateFigures.pooled(List.of(a, b));
        assertEquals(80, pooled.steps());
        assertEquals(2, pooled.failureEpisodes());
        assertEquals(1, pooled.failureEpisodesTracked());
        assertEquals(1.0, pooled.onlineRecall(), 1e-12);
        assertEquals(9.0, pooled.meanLeadSteps(), 1e-12);
    }
}
