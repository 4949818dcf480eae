package io.farl.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PredictiveGateTest {

    @Test
    void shouldPassTheTaskActionAtOrBelowEpsilon() {
        PredictiveGate gate = new PredictiveGate(GateConfig.steps(0.3, 0));
        assertEquals(GateDecision.TASK, gate.decide(0.3, 0.0));
        assertEquals(GateDecision.TASK, gate.decide(0.0, Double.NaN), "recovery is not needed, so not checked");
    }

    @Test
    void shouldSwitchToRecoveryAboveEpsilon() {
        PredictiveGate gate = new PredictiveGate(GateConfig.steps(0.3, 0));
        assertEquals(GateDecision.RECOVERY, gate.decide(0.31, 0.1));
        assertEquals(1, gate.switchesToRecovery());
    }

    @Test
    void shouldTreatNonFiniteCostAsUnsafe() {
        PredictiveGate gate = new PredictiveGate(GateConfig.steps(0.3, 0));
        assertEquals(GateDecision.RECOVERY, gate.decide(Double.NaN, 0.1));
        gate.reset();
        assertEquals(GateDecision.RECOVERY, gate.decide(Double.POSITIVE_INFINITY, 0.1));
        gate.reset();
        assertEquals(GateDecision.BOTH_UNSAFE, gate.decide(0.9, Double.NaN));
    }

    @Test
    void shouldStayKStepsInRecoveryBeforeHandingBack() {
        PredictiveGate gate = new PredictiveGate(GateConfig.steps(0.3, 3));
        assertEquals(GateDecision.RECOVERY, gate.decide(0.5, 0.1));
        assertEquals(GateDecision.RECOVERY, gate.decide(0.1, 0.1));
        assertEquals(GateDecision.RECOVERY, gate.decide(0.1, 0.1));
        assertEquals(GateDecision.TASK, gate.decide(0.1, 0.1), "three recovery steps done");
    }

    @Test
    void shouldNotHandBackAfterKStepsWhileTaskIsStillUnsafe() {
        PredictiveGate gate = new PredictiveGate(GateConfig.steps(0.3, 1));
        gate.decide(0.5, 0.1);
        assertEquals(GateDecision.RECOVERY, gate.decide(0.4, 0.1));
        assertEquals(GateDecision.TASK, gate.decide(0.2, 0.1));
    }

    @Test
    void shouldHandBackOnlyBelowEpsilonMinusMargin() {
        PredictiveGate gate = new PredictiveGate(GateConfig.margin(0.3, 0.1));
        assertEquals(GateDecision.RECOVERY, gate.decide(0.35, 0.1));
        assertEquals(GateDecision.RECOVERY, gate.decide(0.25, 0.1), "below eps but inside the margin");
        assertEquals(GateDecision.RECOVERY, gate.decide(0.2, 0.1), "exactly eps - margin is not below it");
        assertEquals(GateDecision.TASK, gate.decide(0.19, 0.1));
    }

    @Test
    void shouldNotChatterAroundEpsilon() {
        PredictiveGate gate = new PredictiveGate(GateConfig.margin(0.3, 0.05));
        int switches = 0;
        GateDecision previous = GateDecision.TASK;
        for (int i = 0; i < 100; i++) {
            GateDecision d = gate.decide(i % 2 == 0 ? 0.29 : 0.31, 0.1);
            if (d != previous) {
                switches++;
            }
            previous = d;
        }
        assertEquals(1, switches);
    }

    @Test
    void shouldReportBothUnsafeAndAlarmOncePerEpisode() {
        PredictiveGate gate = new PredictiveGate(GateConfig.steps(0.3, 0));
        assertEquals(GateDecision.BOTH_UNSAFE, gate.decide(0.5, 0.6));
        assertTrue(gate.newAlarm());
        assertEquals(GateDecision.BOTH_UNSAFE, gate.decide(0.5, 0.6));
        assertFalse(gate.newAlarm());
        assertEquals(GateDecision.RECOVERY, gate.decide(0.5, 0.1));
        assertEquals(GateDecision.BOTH_UNSAFE, gate.decide(0.5, 0.6));
        assertTrue(gate.newAlarm());
        assertEquals(2, gate.alarms());
    }

    @Test
    void shouldRejectInvalidConfig() {
        assertThrows(IllegalArgumentException.class, () -> GateConfig.steps(Double.NaN, 1));
        assertThrows(IllegalArgumentException.class, () -> GateConfig.steps(0.3, -1));
        assertThrows(IllegalArgumentException.class, () -> GateConfig.margin(0.3, 0.3));
    }

    @Test
    void shouldRunTheLessRiskyRecoveryAndAlarmWhenBothAreAboveEpsilon() {
        PredictiveGate gate = new PredictiveGate(GateConfig.margin(0.3, 0.05));
        assertEquals(GateDecision.RECOVERY, gate.decide(0.9, 0.5));
        assertTrue(gate.newAlarm());
        assertEquals(GateDecision.RECOVERY, gate.decide(0.9, 0.5));
        assertFalse(gate.newAlarm(), "one alarm per unsafe stretch");
        assertEquals(GateDecision.BOTH_UNSAFE, gate.decide(0.5, 0.7), "recovery not safer: hold");
        assertTrue(gate.newAlarm(), "the stretch turned into a hold: alarmed again");
        assertEquals(GateDecision.BOTH_UNSAFE, gate.decide(Double.NaN, Double.NaN));
        assertFalse(gate.newAlarm());
        assertEquals(2, gate.alarms());
    }

    @net.jqwik.api.Property(tries = 300)
    void shouldNeverHoldWhileOneActionIsBelowEpsilon(
            @net.jqwik.api.ForAll("costs") java.util.List<double[]> costs) {
        PredictiveGate gate = new PredictiveGate(GateConfig.marginAfter(0.3, 0.1, 3));
        for (double[] c : costs) {
            GateDecision d = gate.decide(c[0], c[1]);
            boolean taskSafe = Double.isFinite(c[0]) && c[0] <= 0.3;
            boolean recoverySafe = Double.isFinite(c[1]) && c[1] <= 0.3;
            if (taskSafe || recoverySafe) {
                assertTrue(d != GateDecision.BOTH_UNSAFE, "held with costs " + c[0] + ", " + c[1]);
            }
            if (d == GateDecision.TASK) {
                assertTrue(taskSafe, "unsafe task action passed: " + c[0]);
            }
        }
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<java.util.List<double[]>> costs() {
        net.jqwik.api.Arbitrary<Double> cost = net.jqwik.api.Arbitraries.oneOf(
                net.jqwik.api.Arbitraries.doubles().between(0, 1),
                net.jqwik.api.Arbitraries.of(Double.NaN, 0.3, 0.2, Double.POSITIVE_INFINITY));
        return cost.array(double[].class).ofSize(2).list().ofMinSize(1).ofMaxSize(40);
    }

    @Test
    void shouldRunTheSafeTaskActionInsideTheDwellWhenRecoveryTurnsUnsafe() {
        PredictiveGate gate = new PredictiveGate(GateConfig.margin(0.3, 0.1));
        assertEquals(GateDecision.RECOVERY, gate.decide(0.5, 0.1));
        // 0.25 is below eps but inside the margin: the dwell would keep recovery, but recovery is now unsafe
        assertEquals(GateDecision.TASK, gate.decide(0.25, 0.6));
        assertEquals(GateDecision.TASK, gate.decide(0.25, 0.1), "the dwell ended: no recovery inside the margin");
        assertEquals(0, gate.bothUnsafeDecisions());
        PredictiveGate steps = new PredictiveGate(GateConfig.steps(0.3, 5));
        assertEquals(GateDecision.RECOVERY, steps.decide(0.5, 0.1));
        assertEquals(GateDecision.TASK, steps.decide(0.2, Double.NaN), "recovery missing, task safe: no hold");
    }

    @Test
    void shouldKeepRecoveryForTheMinimumStepsBeforeTheMarginReleases() {
        PredictiveGate gate = new PredictiveGate(GateConfig.marginAfter(0.3, 0.1, 3));
        assertEquals(GateDecision.RECOVERY, gate.decide(0.5, 0.1));
        assertEquals(GateDecision.RECOVERY, gate.decide(0.05, 0.1), "well below the margin, but 1 step only");
        assertEquals(GateDecision.RECOVERY, gate.decide(0.05, 0.1));
        assertEquals(GateDecision.TASK, gate.decide(0.05, 0.1), "three recovery steps done");
        assertEquals(GateDecision.RECOVERY, gate.decide(0.5, 0.1));
        for (int i = 0; i < 5; i++) {
            assertEquals(GateDecision.RECOVERY, gate.decide(0.25, 0.1), "inside the margin: stays");
        }
    }
}
