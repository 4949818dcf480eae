package io.farl.model.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CalibrationTest {

    @Test
    void shouldComputeAurocWithTies() {
        assertEquals(1.0, Calibration.auroc(new double[] {0.1, 0.2, 0.8, 0.9}, new boolean[] {false, false, true, true}));
        assertEquals(0.0, Calibration.auroc(new double[] {0.9, 0.8, 0.2, 0.1}, new boolean[] {false, false, true, true}));
        assertEquals(0.5, Calibration.auroc(new double[] {0.5, 0.5}, new boolean[] {false, true}));
        assertEquals(0.75, Calibration.auroc(new double[] {0.1, 0.6, 0.5, 0.9}, new boolean[] {false, false, true, true}));
        assertTrue(Double.isNaN(Calibration.auroc(new double[] {1}, new boolean[] {true})));
    }

    @Test
    void shouldMeasureRecallFalseAlarmsOnEveryNonWindowStepAndLeadTime() {
        TransitionData d = TransitionDataTest.threeEpisodes();
        // transitions: expert 0,1; failure 2,3,4 (failure at 4); recovery 5
        double[] scores = {0.1, 0.6, 0.2, 0.7, 0.9, 0.0};
        CalibrationPoint p = Calibration.evaluate(scores, d, 1, 0, 5, 0.9, 0.5);
        assertEquals(1.0, p.windowStepRecall()); // window = transitions 3, 4
        assertEquals(1.0, p.eventRecall());
        // outside the window: 0, 1, 2 and 5; only 1 alarms
        assertEquals(4, p.negativeSteps());
        assertEquals(0.25, p.falseAlarmRate());
        assertEquals(1.0, p.meanLeadSteps());
        assertEquals(0.9, p.gammaRisk());
        CalibrationPoint strict = Calibration.evaluate(scores, d, 2, 0, 5, 0.9, 0.8);
        assertEquals(1.0 / 3, strict.windowStepRecall(), 1e-12);
        assertEquals(0.0, strict.meanLeadSteps());
        assertEquals(0.0, strict.falseAlarmRate());
        CalibrationPoint blind = Calibration.evaluate(scores, d, 2, 0, 5, 0.9, 0.95);
        assertEquals(0.0, blind.eventRecall());
    }

    @Test
    void shouldCountAlarmsOnNonExpertStepsAsFalseAlarms() {
        TransitionData d = TransitionDataTest.threeEpisodes();
        // a detector that fires on everything except expert steps: perfect recall, but every failure-episode step
        // before the window and the recovery step are false alarms
        double[] scores = {0.0, 0.0, 1.0, 1.0, 1.0, 1.0};
        CalibrationPoint p = Calibration.evaluate(scores, d, 1, 1, 5, 0.9, 0.5);
        assertEquals(1.0, p.eventRecall());
        assertEquals(0.5, p.falseAlarmRate());
    }

    @Test
    void shouldCountOnlyAlarmsWithEnoughLeadWhenAsked() {
        TransitionData d = TransitionDataTest.threeEpisodes();
        double[] scores = {0.1, 0.6, 0.2, 0.7, 0.9, 0.0};
        // at 0.8 only the failure step itself alarms: caught without a lead requirement, missed with one
        assertEquals(1.0, Calibration.evaluate(scores, d, 2, 0, 5, 0.9, 0.8).eventRecall());
        assertEquals(0.0, Calibration.evaluate(scores, d, 2, 1, 5, 0.9, 0.8).eventRecall());
        // at 0.5 the step before also alarms: one step of lead
        CalibrationPoint early = Calibration.evaluate(scores, d, 2, 1, 5, 0.9, 0.5);
        assertEquals(1.0, early.eventRecall());
        assertEquals(1.0, early.meanLeadSteps());
    }

    @Test
    void shouldPickTheLowestFalseAlarmPointMeetingRecall() {
        TransitionData d = TransitionDataTest.threeEpisodes();
        double[] scores = {0.1, 0.6, 0.2, 0.7, 0.9, 0.0};
        List<CalibrationPoint> pts = Calibration.sweep(d, 1, 0, new int[] {3, 5}, 0.9, Calibration.grid(0, 1, 11),
                h -> scores);
        assertEquals(22, pts.size());
        CalibrationPoint best = Calibration.pickForRecall(pts, 1.0).orElseThrow();
        assertEquals(0.0, best.falseAlarmRate());
        assertEquals(0.8, best.epsilonSafe(), 1e-9);
    }

    @Test
    void shouldSumDiscountedRolloutTermsForAnyHorizonAndGamma() {
        float[][] terms = {{0.5f, 0f}, {0.25f, 1f}, {1f, 1f}};
        double[] h1 = GateCalibration.discountedSum(terms, 1, 0.5);
        assertEquals(0.625, h1[0], 1e-9);
        assertEquals(0.5, h1[1], 1e-9);
        double[] h2 = GateCalibration.discountedSum(terms, 2, 1.0);
        assertEquals(1.75, h2[0], 1e-9);
        assertEquals(2.0, h2[1], 1e-9);
        assertThrows(IllegalArgumentException.class, () -> GateCalibration.discountedSum(terms, 3, 0.9));
    }

    @Test
    void shouldPickTheHighestRecallWithinTheFalseAlarmBudgetWhenTheTargetCostsMore() {
        CalibrationPoint cheap = new CalibrationPoint(1, 0.9, 0.5, 0.5, 0.82, 0.02, 5, 11, 3000);
        CalibrationPoint mid = new CalibrationPoint(1, 0.9, 0.3, 0.6, 0.9, 0.08, 5, 11, 3000);
        CalibrationPoint full = new CalibrationPoint(1, 0.9, 0.04, 0.9, 1.0, 0.48, 8, 11, 3000);
        List<CalibrationPoint> pts = List.of(cheap, mid, full);
        assertEquals(mid, GateCalibration.pick(pts, 0.95, 0.10).orElseThrow(), "best recall within 10% false alarms");
        assertEquals(full, GateCalibration.pick(pts, 0.95, 0.5).orElseThrow(), "target reached within the budget");
        assertEquals(cheap, GateCalibration.pick(pts, 0.95, 0.01).orElseThrow(), "nothing within: fewest alarms");
    }
}
