package io.farl.pipeline.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StatsTest {
    @Test
    void shouldGiveTheRateRatioAndItsLogScaleIntervalForKnownCounts() {
        RateRatio r = Stats.rateRatio(25, 10_000, 100, 10_000);
        assertEquals(0.25, r.ratio(), 1e-12);
        // exp(ln 0.25 ± 1.96 sqrt(1/25 + 1/100))
        assertEquals(0.1613, r.ci95().lo(), 5e-4);
        assertEquals(0.3874, r.ci95().hi(), 5e-4);
        assertTrue(r.excludesOne());
        assertFalse(r.zeroCorrected());

        RateRatio small = Stats.rateRatio(2, 5_000, 10, 5_000);
        assertEquals(0.2, small.ratio(), 1e-12);
        assertEquals(0.0438, small.ci95().lo(), 5e-4);
        assertEquals(0.913, small.ci95().hi(), 1e-3);
        assertTrue(small.excludesOne(), "0.91 < 1");
    }

    @Test
    void shouldScaleTheRatioByExposure() {
        RateRatio r = Stats.rateRatio(10, 2_000, 10, 1_000);
        assertEquals(0.5, r.ratio(), 1e-12);
        assertTrue(r.ci95().contains(1.0), "10 vs 10 events cannot tell a factor of two apart");
        assertFalse(r.excludesOne());
        assertEquals(10, r.failuresA());
        assertEquals(2_000, r.stepsA());
    }

    @Test
    void shouldTakeAZeroCountAsOneHalf() {
        RateRatio r = Stats.rateRatio(0, 1_000, 8, 1_000);
        assertTrue(r.zeroCorrected());
        assertEquals(0.5 / 8, r.ratio(), 1e-12);
        double half = Stats.Z95 * Math.sqrt(1 / 0.5 + 1 / 8.0);
        assertEquals(Math.exp(Math.log(0.5 / 8) - half), r.ci95().lo(), 1e-12);
        assertEquals(Math.exp(Math.log(0.5 / 8) + half), r.ci95().hi(), 1e-12);
        RateRatio both = Stats.rateRatio(0, 1_000, 0, 1_000);
        assertEquals(1.0, both.ratio(), 1e-12);
        assertFalse(both.excludesOne());
        assertThrows(IllegalArgumentException.class, () -> Stats.rateRatio(1, 0, 1, 10));
        assertThrows(IllegalArgumentException.class, () -> Stats.rateRatio(-1, 10, 1, 10));
    }

    @Test
    void shouldGiveWilsonIntervalsForKnownProportions() {
        Interval half = Stats.wilson(5, 10);
        assertEquals(0.2366, half.lo(), 1e-4);
        assertEquals(0.7634, half.hi(), 1e-4);
        Interval p = Stats.wilson(81, 263);
        assertEquals(0.2553, p.lo(), 1e-4);
        assertEquals(0.3662, p.hi(), 1e-4);
        Interval none = Stats.wilson(0, 10);
        assertEquals(0.0, none.lo());
        assertEquals(0.2775, none.hi(), 1e-4);
        Interval all = Stats.wilson(100, 100);
        assertEquals(0.9630, all.lo(), 1e-4);
        assertEquals(1.0, all.hi());
        assertEquals(new Interval(0, 1), Stats.wilson(0, 0));
        assertThrows(IllegalArgumentException.class, () -> Stats.wilson(11, 10));
    }

    @Test
    void shouldCountPerThousandSteps() {
        assertEquals(2.5, Stats.per1000(5, 2_000), 1e-12);
        assertEquals(0.0, Stats.per1000(5, 0));
    }
}
