package io.farl.model.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * Calibration of ε_safe on held-out episodes: recall on pre-failure windows (the {@code windowSteps} steps
 * before each IR failure, plus the failure step), false alarms on every step outside those windows (expert, failure,
 * policy-rollout and recovery episodes alike: a detector that fires on anything non-expert must not look good),
 * alarm lead time, and the AUROC of a scorer. Plain arithmetic on score arrays; the scores come from a
 * {@link FailureCostModel}.
 */
public final class Calibration {
    private Calibration() {
    }

    /**
     * Area under the ROC curve of {@code scores} against {@code labels} (ties count one half).
     *
     * @return NaN when one of the classes is empty
     */
    public static double auroc(double[] scores, boolean[] labels) {
        if (scores.length != labels.length) {
            throw new IllegalArgumentException("scores and labels differ in length");
        }
        Integer[] idx = new Integer[scores.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
            if (Double.isNaN(scores[i])) {
                throw new IllegalArgumentException("NaN score at " + i);
            }
        }
        Arrays.sort(idx, Comparator.comparingDouble(i -> scores[i]));
        long pos = 0;
        long neg = 0;
        double rankSumPos = 0;
        int i = 0;
        while (i < idx.length) {
            int j = i;
            while (j + 1 < idx.length && scores[idx[j + 1]] == scores[idx[i]]) {
                j++;
            }
            double avgRank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                if (labels[idx[k]]) {
                    pos++;
                    rankSumPos += avgRank;
                } else {
                    neg++;
                }
            }
            i = j + 1;
        }
        if (pos == 0 || neg == 0) {
            return Double.NaN;
        }
        return (rankSumPos - pos * (pos + 1) / 2.0) / ((double) pos * neg);
    }

    /** Labels for step-level scoring: true on pre-failure window steps, false on every other step. */
    public static boolean[] windowLabels(TransitionData data, int windowSteps) {
        return windowMask(data, windowSteps);
    }

    /**
     * Gate quality of {@code scores} at {@code epsilonSafe}, counting an IR failure as caught only when an alarm came
     * at least {@code minLeadSteps} before it: an alarm on the failure step itself is too late for a pushed object
     * that is already sliding out.
     */
    public static CalibrationPoint evaluate(double[] scores, TransitionData data, int windowSteps, int minLeadSteps,
            int horizonSteps, double gammaRisk, double epsilonSafe) {
        if (minLeadSteps < 0 || minLeadSteps > windowSteps) {
            throw new IllegalArgumentException("minLeadSteps must be in [0, windowSteps], got " + minLeadSteps);
        }
        if (scores.length != data.size()) {
            throw new IllegalArgumentException("need one score per transition: " + scores.length + " vs " + data.size());
        }
        if (windowSteps < 0) {
            throw new IllegalArgumentException("windowSteps must be >= 0");
        }
        boolean[] window = windowMask(data, windowSteps);
        int windowTotal = 0;
        int windowHits = 0;
        int negatives = 0;
        int falseAlarms = 0;
        for (int i = 0; i < data.size(); i++) {
            boolean alarm = scores[i] > epsilonSafe;
            if (window[i]) {
                windowTotal++;
                if (alarm) {
                    windowHits++;
                }
            } else {
                negatives++;
                if (alarm) {
                    falseAlarms++;
                }
            }
        }
        int events = 0;
        int caught = 0;
        double leadSum = 0;
        boolean[] failures = data.failures();
        int[] steps = data.steps();
        for (int f = 0; f < data.size(); f++) {
            if (!failures[f]) {
                continue;
            }
            events++;
            int first = Math.max(f - steps[f], f - windowSteps);
            for (int i = first; i <= f - minLeadSteps; i++) {
                if (scores[i] > epsilonSafe) {
                    caught++;
                    leadSum += f - i;
                    break;
                }
            }
        }
        return new CalibrationPoint(horizonSteps, gammaRisk, epsilonSafe, ratio(windowHits, windowTotal),
                ratio(caught, events), ratio(falseAlarms, negatives), caught == 0 ? Double.NaN : leadSum / caught, events,
                negatives);
    }

    /**
     * Evaluates every (H, ε) pair at one γ_risk.
     *
     * @param scoresForHorizon C_H per transition of {@code data} for a given H
     */
    public static List<CalibrationPoint> sweep(TransitionData data, int windowSteps, int minLeadSteps, int[] horizons,
            double gammaRisk, double[] epsilons, IntFunction<double[]> scoresForHorizon) {
        List<CalibrationPoint> out = new ArrayList<>();
        for (int h : horizons) {
            double[] scores = scoresForHorizon.apply(h);
            for (double eps : epsilons) {
                out.add(evaluate(scores, data, windowSteps, minLeadSteps, h, gammaRisk, eps));
            }
        }
        return out;
    }

    /**
     * Candidate thresholds for {@code scores}: every distinct score just below itself (so each can be the first alarm),
     * thinned to about 400 by rank.
     */
    public static double[] thresholds(double[] scores) {
        double[] sorted = scores.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        if (n == 0) {
            return new double[0];
        }
        java.util.TreeSet<Double> t = new java.util.TreeSet<>();
        int step = Math.max(1, n / 400);
        for (int i = 0; i < n; i += step) {
            t.add(Math.nextDown(sorted[i]));
        }
        t.add(sorted[n - 1]);
        return t.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /**
     * The point reaching {@code targetEventRecall} with the lowest false-alarm rate (ties: larger ε, then
     * longer lead time).
     */
    public static Optional<CalibrationPoint> pickForRecall(List<CalibrationPoint> points, double targetEventRecall) {
        return points.stream()
                .filter(p -> p.eventRecall() >= targetEventRecall)
                .min(Comparator.comparingDouble(CalibrationPoint::falseAlarmRate)
                        .thenComparing(Comparator.comparingDouble(CalibrationPoint::epsilonSafe).reversed())
                        .thenComparing(Comparator.comparingDouble(CalibrationPoint::meanLeadSteps).reversed()));
    }

    /** Evenly spaced thresholds from {@code lo} to {@code hi} inclusive. */
    public static double[] grid(double lo, double hi, int count) {
        double[] g = new double[count];
        for (int i = 0; i < count; i++) {
            g[i] = count == 1 ? lo : lo + (hi - lo) * i / (count - 1);
        }
        return g;
    }

    static boolean[] windowMask(TransitionData data, int windowSteps) {
        boolean[] mask = new boolean[data.size()];
        boolean[] failures = data.failures();
        int[] steps = data.steps();
        for (int f = 0; f < data.size(); f++) {
            if (failures[f]) {
                int first = Math.max(f - steps[f], f - windowSteps);
                Arrays.fill(mask, first, f + 1, true);
            }
        }
        return mask;
    }

    private static double ratio(int a, int b) {
        return b == 0 ? Double.NaN : (double) a / b;
    }
}
