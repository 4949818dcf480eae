package io.farl.safety;

import static io.farl.safety.FreshnessWatchdog.Channel.OBSERVATION;
import static io.farl.safety.FreshnessWatchdog.Channel.PROPOSAL;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FreshnessWatchdogTest {
    private final FreshnessWatchdog watchdog = new FreshnessWatchdog(new WatchdogConfig(100, 50, 50, 50, 5));

    @Test
    void shouldJudgeAgeAgainstTheChannelLimit() {
        assertEquals(Freshness.FRESH, watchdog.check(OBSERVATION, 1000, 1, 1100));
        assertEquals(Freshness.STALE, watchdog.check(OBSERVATION, 1000, 2, 1101));
        assertEquals(Freshness.STALE, watchdog.check(PROPOSAL, 1000, 1, 1051));
        assertEquals(1, watchdog.count(OBSERVATION, Freshness.STALE));
    }

    @Test
    void shouldRejectStampsFromTheFuture() {
        assertEquals(Freshness.FRESH, watchdog.check(PROPOSAL, 1005, 1, 1000));
        assertEquals(Freshness.FUTURE, watchdog.check(PROPOSAL, 1006, 2, 1000));
    }

    @Test
    void shouldAcceptRepeatsButNotGoingBack() {
        assertEquals(Freshness.FRESH, watchdog.check(PROPOSAL, 1000, 7, 1010));
        assertEquals(Freshness.FRESH, watchdog.check(PROPOSAL, 1000, 7, 1020));
        assertEquals(Freshness.OUT_OF_ORDER, watchdog.check(PROPOSAL, 1001, 6, 1020));
        assertEquals(Freshness.OUT_OF_ORDER, watchdog.check(PROPOSAL, 999, 8, 1020));
        watchdog.reset();
        assertEquals(Freshness.FRESH, watchdog.check(PROPOSAL, 1001, 6, 1020), "sequences restart on activation");
    }

    @Test
    void shouldCountMissingInputs() {
        watchdog.missing(PROPOSAL);
        watchdog.missing(PROPOSAL);
        assertEquals(2, watchdog.count(PROPOSAL, Freshness.MISSING));
        assertEquals(0, watchdog.count(OBSERVATION, Freshness.MISSING));
    }

    @Test
    void shouldAllowSomeClockSkewWithTheUniformConfig() {
        FreshnessWatchdog uniform = new FreshnessWatchdog(WatchdogConfig.uniform(400));
        assertEquals(Freshness.FRESH, uniform.check(PROPOSAL, 1100, 1, 1000),
                "a producer clock 100 ns ahead is within a quarter of the age limit");
        assertEquals(Freshness.FUTURE, uniform.check(PROPOSAL, 1101, 2, 1000));
    }
}
