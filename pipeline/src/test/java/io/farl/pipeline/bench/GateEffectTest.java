package io.farl.pipeline.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.farl.controller.session.EpisodeStats;
import java.util.List;
import org.junit.jupiter.api.Test;

class GateEffectTest {

    /** An episode: steps, success, failed, steps the gate overrode. */
    static EpisodeStats ep(int index, int steps, boolean success, boolean failed, int overrides) {
        return new EpisodeStats(index, 1000 + index, steps, 0, 0, success, failed ? 1 : 0, false, overrides, 0, 0, 0, 0,
                0, overrides, failed ? steps - 1 : -1, List.of());
    }

    @Test
    void shouldCountPreventedAndCausedFailuresOnlyWhereTheGateIntervened() {
        List<EpisodeStats> gated = List.of(
                ep(0, 40, true, false, 0),   // untouched, same as ungated
                ep(1, 50, false, false, 6),  // prevented
                ep(2, 30, false, true, 3),   // caused
                ep(3, 45, false, false, 4),  // prevented
                ep(4, 20, false, true, 0),   // untouched, both failed
                ep(5, 60, true, false, 2));  // intervened, no failure either way
        List<EpisodeStats> ungated = List.of(
                ep(0, 40, true, false, 0),
                ep(1, 25, false, true, 0),
                ep(2, 70, true, false, 0),
                ep(3, 12, false, true, 0),
                ep(4, 20, false, true, 0),
                ep(5, 55, true, false, 0),
                ep(6, 10, false, true, 0));  // unpaired: the gated run ended first
        GateEffect e = GateEffect.pair("bounded-push", "farl", 3, gated, ungated);
        assertEquals(6, e.pairs());
        assertEquals(2, e.prevented());
        assertEquals(1, e.caused());
        assertEquals(0, e.failedDespite());
        assertEquals(1, e.missed());
        assertEquals(2, e.gatedFailures());
        assertEquals(3, e.ungatedFailures());
        assertEquals(4, e.intervened());
        assertEquals(15, e.overrideSteps());
        assertEquals(245, e.gatedSteps());
        assertEquals(222, e.ungatedSteps());
        assertEquals(2, e.gatedSuccesses());
        assertEquals(3, e.ungatedSuccesses());
        assertEquals(0, e.untouchedMismatches());
        assertEquals(1.0, e.signTestP(), 1e-12);
    }

    @Test
    void shouldFlagUntouchedEpisodesThatDifferAndRefuseUnpairedLayouts() {
        List<EpisodeStats> gated = List.of(ep(0, 40, true, false, 0));
        List<EpisodeStats> ungated = List.of(ep(0, 41, true, false, 0));
        assertEquals(1, GateEffect.pair("t", "farl", 0, gated, ungated).untouchedMismatches());
        EpisodeStats other = new EpisodeStats(0, 7, 40, 0, 0, true, 0, false, 0, 0, 0, 0, 0, 0, 0, -1, List.of());
        assertThrows(IllegalArgumentException.class, () -> GateEffect.pair("t", "farl", 0, gated, List.of(other)));
    }

    @Test
    void shouldGiveTheExactSignTest() {
        assertEquals(1.0, GateEffect.signTest(0, 0), 1e-12);
        assertEquals(1.0, GateEffect.signTest(3, 3), 1e-12);
        // 2 * P(X <= 1), X ~ Bin(10, 1/2) = 2 * 11 / 1024
        assertEquals(22.0 / 1024, GateEffect.signTest(9, 1), 1e-12);
        assertEquals(22.0 / 1024, GateEffect.signTest(1, 9), 1e-12);
        // 2 * P(X = 0), X ~ Bin(6, 1/2)
        assertEquals(2.0 / 64, GateEffect.signTest(6, 0), 1e-12);
    }
}
