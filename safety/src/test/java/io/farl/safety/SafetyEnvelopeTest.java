package io.farl.safety;

import static io.farl.safety.Robots.arm;
import static io.farl.safety.Robots.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.farl.robot.api.Observation;
import io.farl.robot.api.Workspace;
import org.junit.jupiter.api.Test;

class SafetyEnvelopeTest {
    private static final long PERIOD = Robots.PERIOD;

    // A wide step limit, so that the other limits can be tested one at a time.
    private final SafetyEnvelope envelope = new SafetyEnvelope(arm(),
            EnvelopeConfig.custom(arm()).maxActionDeltaPerPeriod(2).build());
    private final EnvelopeResult out = new EnvelopeResult(envelope);

    @Test
    void shouldPassAnActionInsideEveryLimitUnchanged() {
        envelope.enforce(new double[] {0.3, -0.2, 0.1, 0.5}, at(0, 0, 0.2), PERIOD, out);
        assertFalse(out.isHold());
        assertEquals(0, out.interventionCount());
        assertEquals(0.3, out.applied(0));
        assertEquals(0.5, out.applied(3));
    }

    @Test
    void shouldClampToConfiguredBoundsAndRecordIt() {
        SafetyEnvelope tight = new SafetyEnvelope(arm(), EnvelopeConfig.custom(arm())
                .actionBounds(new double[] {-0.5, -0.5, -0.5, -1}, new double[] {0.5, 0.5, 0.5, 1})
                .maxActionDeltaPerPeriod(2).build());
        EnvelopeResult r = new EnvelopeResult(tight);
        tight.enforce(new double[] {0.9, 0, 0, 0}, at(0, 0, 0.2), PERIOD, r);
        assertEquals(0.5, r.applied(0));
        assertEquals(Limit.ACTION_BOUND, r.interventionLimit(0));
        assertEquals(0, r.interventionIndex(0));
        assertEquals(0.9, r.interventionRequested(0));
        assertEquals(0.5, r.interventionApplied(0));
    }

    @Test
    void shouldHoldOnNaNInsteadOfClampingThroughIt() {
        envelope.enforce(new double[] {0.2, 0, 0, 0.7}, at(0, 0, 0.2), PERIOD, out);
        envelope.enforce(new double[] {Double.NaN, 0.1, 0, 0.7}, at(0, 0, 0.2), PERIOD, out);
        assertTrue(out.isHold());
        assertEquals(Limit.NON_FINITE_COMMAND, out.fault());
        assertEquals(0.0, out.applied(0));
        assertEquals(0.0, out.applied(1));
        assertEquals(0.7, out.applied(3), "gripper keeps the last applied value");
    }

    @Test
    void shouldHoldOnInfiniteCommand() {
        envelope.enforce(new double[] {0, Double.NEGATIVE_INFINITY, 0, 0}, at(0, 0, 0.2), PERIOD, out);
        assertTrue(out.isHold());
        assertEquals(Limit.NON_FINITE_COMMAND, out.fault());
    }

    @Test
    void shouldHoldWhenHandPositionIsNotFinite() {
        envelope.enforce(new double[] {0.1, 0, 0, 0}, new Observation(0, 0, new double[] {0, Double.NaN, 0, 0}),
                PERIOD, out);
        assertTrue(out.isHold());
        assertEquals(Limit.HAND_POSITION, out.fault());
        assertEquals(1, out.interventionIndex(0));
    }

    @Test
    void shouldHoldWithoutObservationOrWithWrongSizeOrBadPeriod() {
        envelope.enforce(new double[] {0.1, 0, 0, 0}, null, PERIOD, out);
        assertEquals(Limit.HAND_POSITION, out.fault());
        envelope.enforce(new double[] {0.1, 0, 0}, at(0, 0, 0.2), PERIOD, out);
        assertEquals(Limit.COMMAND_SIZE, out.fault());
        envelope.enforce(null, at(0, 0, 0.2), PERIOD, out);
        assertEquals(Limit.COMMAND_SIZE, out.fault());
        envelope.enforce(new double[] {0.1, 0, 0, 0}, at(0, 0, 0.2), 0, out);
        assertEquals(Limit.PERIOD, out.fault());
        assertEquals(4, envelope.faults());
    }

    @Test
    void shouldCutVelocityThatWouldLeaveTheWorkspaceWithinOnePeriod() {
        // 1 m/s at action 1, 10 ms period: 1 cm per period. Hand 4 mm below maxX: at most 0.4 on x.
        envelope.enforce(new double[] {0.9, 0.3, 0, 0}, at(0.496, 0, 0.2), PERIOD, out);
        assertEquals(0.4, out.applied(0), 1e-9);
        assertEquals(0.3, out.applied(1), 1e-12, "other axes untouched");
        assertTrue(out.intervened(Limit.WORKSPACE));
    }

    @Test
    void shouldLetAHandOutsideTheBoxOnlyMoveBackIn() {
        envelope.enforce(new double[] {0.5, 0, 0, 0}, at(0.6, 0, 0.2), PERIOD, out);
        assertEquals(0.0, out.applied(0));
        envelope.enforce(new double[] {-0.5, 0, 0, 0}, at(0.6, 0, 0.2), PERIOD, out);
        assertEquals(-0.5, out.applied(0), 1e-12);
    }

    @Test
    void shouldCutDownwardMotionAtTheTable() {
        envelope.enforce(new double[] {0, 0, -1, 0}, at(0, 0, 0.002), PERIOD, out);
        assertEquals(-0.2, out.applied(2), 1e-9);
    }

    @Test
    void shouldLimitTheChangePerPeriod() {
        SafetyEnvelope smooth = new SafetyEnvelope(arm(), EnvelopeConfig.custom(arm()).maxActionDeltaPerPeriod(0.1)
                .build());
        EnvelopeResult r = new EnvelopeResult(smooth);
        smooth.enforce(new double[] {1, 0, 0, 1}, at(0, 0, 0.2), PERIOD, r);
        assertEquals(0.1, r.applied(0), 1e-12);
        assertEquals(0.1, r.applied(3), 1e-12);
        smooth.enforce(new double[] {1, 0, 0, 1}, at(0, 0, 0.2), PERIOD, r);
        assertEquals(0.2, r.applied(0), 1e-12);
        assertEquals(Limit.STEP_CHANGE, r.interventionLimit(0));
    }

    @Test
    void shouldScaleSpeedAlongTheSameDirection() {
        SafetyEnvelope slow = new SafetyEnvelope(arm(), EnvelopeConfig.custom(arm()).maxSpeedMetersPerSecond(0.5).maxActionDeltaPerPeriod(2)
                .build());
        EnvelopeResult r = new EnvelopeResult(slow);
        slow.enforce(new double[] {0.6, 0.8, 0, 0}, at(0, 0, 0.2), PERIOD, r);
        assertEquals(0.3, r.applied(0), 1e-12);
        assertEquals(0.4, r.applied(1), 1e-12);
        assertTrue(r.intervened(Limit.VELOCITY));
    }

    @Test
    void shouldHoldOnRequestKeepingTheGripper() {
        envelope.enforce(new double[] {0.3, 0.3, 0.3, -0.4}, at(0, 0, 0.2), PERIOD, out);
        envelope.hold(out);
        assertTrue(out.isHold());
        assertNull(out.fault());
        assertEquals(0.0, out.applied(0));
        assertEquals(-0.4, out.applied(3));
        assertEquals(Limit.HOLD_REQUESTED, out.interventionLimit(0));
    }

    @Test
    void shouldRejectALooserConfigNamingTheField() {
        var wide = EnvelopeConfig.custom(arm()).actionBounds(new double[] {-1, -1, -1, -1},
                new double[] {1, 1.5, 1, 1}).build();
        var e = assertThrows(IllegalArgumentException.class, () -> new SafetyEnvelope(arm(), wide));
        assertTrue(e.getMessage().contains("actionHigh[1]"), e.getMessage());

        var bigBox = EnvelopeConfig.custom(arm()).workspace(new Workspace(-0.5, -0.5, -0.1, 0.5, 0.5, 0.5)).build();
        e = assertThrows(IllegalArgumentException.class, () -> new SafetyEnvelope(arm(), bigBox));
        assertTrue(e.getMessage().contains("workspace.minZ"), e.getMessage());

        var fast = EnvelopeConfig.custom(arm()).maxSpeedMetersPerSecond(2.0).build();
        e = assertThrows(IllegalArgumentException.class, () -> new SafetyEnvelope(arm(), fast));
        assertTrue(e.getMessage().contains("maxSpeedMetersPerSecond"), e.getMessage());
    }

    @Test
    void shouldRejectBoundsThatExcludeAHold() {
        var noZero = EnvelopeConfig.custom(arm()).actionBounds(new double[] {0.1, -1, -1, -1},
                new double[] {1, 1, 1, 1}).build();
        assertThrows(IllegalArgumentException.class, () -> new SafetyEnvelope(arm(), noZero));
    }

    @Test
    void shouldRejectInvalidConfigValues() {
        assertThrows(IllegalArgumentException.class,
                () -> EnvelopeConfig.custom(arm()).maxActionDeltaPerPeriod(Double.NaN).build());
        assertThrows(IllegalArgumentException.class,
                () -> EnvelopeConfig.custom(arm()).maxSpeedMetersPerSecond(0).build());
        assertThrows(IllegalArgumentException.class, () -> EnvelopeConfig.custom(arm()).handPositionField(" ").build());
    }

    @Test
    void shouldRefuseToBuildACommandFromAnIncompleteResult() {
        EnvelopeResult fresh = new EnvelopeResult(envelope);
        assertThrows(IllegalStateException.class, () -> fresh.toCommand(0, 0, 1));
        envelope.enforce(new double[] {0.1, 0, 0, 0}, at(0, 0, 0.2), PERIOD, fresh);
        assertEquals(0.1, fresh.toCommand(5, 1, 6).action()[0]);
    }

    @Test
    void shouldNotAllocateInSteadyState() {
        var bean = java.lang.management.ManagementFactory.getThreadMXBean();
        org.junit.jupiter.api.Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean s
                && s.isThreadAllocatedMemoryEnabled(), "per-thread allocation counting is unavailable");
        com.sun.management.ThreadMXBean sun = (com.sun.management.ThreadMXBean) bean;
        double[] req = {0.9, -0.9, 0.5, 0.2};
        Observation obs = at(0.499, 0, 0.2);
        for (int i = 0; i < 20_000; i++) {
            envelope.enforce(req, obs, PERIOD, out); // warm up, let the JIT settle
        }
        long tid = Thread.currentThread().getId();
        long before = sun.getThreadAllocatedBytes(tid);
        for (int i = 0; i < 10_000; i++) {
            envelope.enforce(req, obs, PERIOD, out);
        }
        long allocated = sun.getThreadAllocatedBytes(tid) - before;
        assertTrue(allocated < 10_000, "allocated " + allocated + " bytes over 10k periods");
    }

    @Test
    void shouldProjectTheWorkspaceCutOverObservationAgeAndCommandLatency() {
        Observation old = new Observation(0, 1, new double[] {0.49, 0, 0.2, 0});
        envelope.enforce(new double[] {1, 0, 0, 0}, old, 0, PERIOD, out);
        assertEquals(1.0, out.applied(0), 1e-9, "fresh sample: 1 cm to the wall, 1 cm per period");
        SafetyEnvelope late = new SafetyEnvelope(arm(), EnvelopeConfig.custom(arm()).commandLatencyNanos(PERIOD)
                .maxActionDeltaPerPeriod(2).build());
        EnvelopeResult r = new EnvelopeResult(late);
        late.enforce(new double[] {1, 0, 0, 0}, old, 3 * PERIOD, PERIOD, r);
        assertEquals(0.2, r.applied(0), 1e-9, "3 periods old + 1 period latency + 1 period: 1 cm over 5 periods");
        assertTrue(r.intervened(Limit.WORKSPACE));
    }

    @Test
    void shouldHoldTheGripperAsMeasuredAfterReset() {
        envelope.enforce(new double[] {0, 0, 0, 0.7}, at(0, 0, 0.2), PERIOD, out);
        envelope.reset();
        assertFalse(envelope.gripperSeeded());
        envelope.seedGripper(-0.8);
        envelope.hold(out);
        assertEquals(-0.8, out.applied(3), "the first hold keeps the gripper where it is, not at 0");
        envelope.seedGripper(0.5);
        envelope.hold(out);
        assertEquals(-0.8, out.applied(3), "seeded once per activation");
        envelope.reset();
        envelope.seedGripper(5);
        envelope.hold(out);
        assertEquals(1.0, out.applied(3), "clamped to the bounds");
    }

    @Test
    void shouldLimitTheStepChangeByDefault() {
        SafetyEnvelope fresh = new SafetyEnvelope(arm(), EnvelopeConfig.custom(arm()).build());
        EnvelopeResult r = new EnvelopeResult(fresh);
        fresh.enforce(new double[] {1, 0, 0, 0}, at(0, 0, 0.2), PERIOD, r);
        assertEquals(EnvelopeConfig.DEFAULT_MAX_ACTION_CHANGE_PER_SECOND * PERIOD * 1e-9, r.applied(0), 1e-12,
                "from rest to full speed is not one period by default");
    }
}
