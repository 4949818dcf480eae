package io.farl.model.api;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The calibration protocol of the gate: the world model's held-out episodes are split once more, by whole episodes and
 * per source kind, into a <em>calibration</em> half (where H, γ_risk and ε_safe are chosen) and a <em>test</em> half
 * (where the chosen point is reported, never tuned on). Both splits follow from the world model's own split seed, so
 * they are fixed for a model and its data and can be rebuilt by every command that loads the model.
 */
public final class GateCalibration {
    /** Mixed into the world model's seed for the calibration/test split of its held-out episodes. */
    static final long TEST_SPLIT_SALT = 0x7E57_5EEDL;

    private GateCalibration() {
    }

    /** The two halves of the world model's held-out episodes. */
    public record Splits(TransitionData calibration, TransitionData test) {
    }

    /**
     * Splits {@code all} (the data the world model was trained from) the way the world model did, then halves its
     * held-out episodes into calibration and test.
     *
     * @throws IllegalArgumentException when the world model held nothing out
     */
    public static Splits splits(TransitionData all, double heldOutFraction, long worldModelSeed) {
        if (!(heldOutFraction > 0)) {
            throw new IllegalArgumentException("the world model was trained without held-out episodes; calibration "
                    + "needs them (train with a held-out fraction > 0)");
        }
        TransitionData held = all.splitEpisodes(heldOutFraction, worldModelSeed).heldOut();
        TransitionData.Split halves = held.splitEpisodes(0.5, worldModelSeed ^ TEST_SPLIT_SALT);
        return new Splits(halves.train(), halves.heldOut());
    }

    /**
     * C_H for every (H, γ_risk) from the undiscounted rollout terms {@code terms[i][row]} = ĉ(z_i, a_i).
     *
     * @return {@code C_H = Σ_{i=0..H} γ^i terms[i][row]} per row
     */
    public static double[] discountedSum(float[][] terms, int horizonSteps, double gammaRisk) {
        if (horizonSteps >= terms.length) {
            throw new IllegalArgumentException("H = " + horizonSteps + " needs " + (horizonSteps + 1)
                    + " rollout terms, have " + terms.length);
        }
        int n = terms[0].length;
        double[] out = new double[n];
        double g = 1;
        for (int i = 0; i <= horizonSteps; i++) {
            for (int r = 0; r < n; r++) {
                out[r] += g * terms[i][r];
            }
            g *= gammaRisk;
        }
        return out;
    }

    /**
     * Sweeps every ε over the calibration scores of one (H, γ) and returns its best point ({@link #pick}).
     *
     * @param sweep receives every point evaluated
     */
    public static Optional<CalibrationPoint> bestAt(double[] scores, TransitionData calibration, int windowSteps,
            int minLeadSteps, int horizonSteps, double gammaRisk, double targetRecall, double maxFalseAlarms,
            List<CalibrationPoint> sweep) {
        List<CalibrationPoint> points = new ArrayList<>();
        for (double eps : Calibration.thresholds(scores)) {
            points.add(Calibration.evaluate(scores, calibration, windowSteps, minLeadSteps, horizonSteps, gammaRisk,
                    eps));
        }
        sweep.addAll(points);
        return pick(points, targetRecall, maxFalseAlarms);
    }

    /**
     * The operating point of the gate: the target event recall with the fewest false alarms when that stays within
     * the false-alarm budget; otherwise the highest recall within the budget (a gate that overrides the task policy on
     * half of all steps protects nothing and learns nothing); when no point is within the budget, the fewest false
     * alarms.
     */
    public static Optional<CalibrationPoint> pick(List<CalibrationPoint> candidates, double targetRecall,
            double maxFalseAlarms) {
        Optional<CalibrationPoint> reached = Calibration.pickForRecall(candidates, targetRecall);
        if (reached.isPresent() && reached.get().falseAlarmRate() <= maxFalseAlarms) {
            return reached;
        }
        Optional<CalibrationPoint> withinBudget = bestRecall(candidates.stream()
                .filter(p -> p.falseAlarmRate() <= maxFalseAlarms).toList());
        if (withinBudget.isPresent()) {
            return withinBudget;
        }
        return candidates.stream().filter(p -> !Double.isNaN(p.falseAlarmRate()))
                .min(Comparator.comparingDouble(CalibrationPoint::falseAlarmRate)
                        .thenComparing(Comparator.comparingDouble(CalibrationPoint::eventRecall).reversed()));
    }

    /** Highest event recall, then fewest false alarms. */
    public static Optional<CalibrationPoint> bestRecall(List<CalibrationPoint> points) {
        return points.stream().filter(p -> !Double.isNaN(p.eventRecall()))
                .max(Comparator.comparingDouble(CalibrationPoint::eventRecall)
                        .thenComparing(Comparator.comparingDouble(CalibrationPoint::falseAlarmRate).reversed()));
    }
}
