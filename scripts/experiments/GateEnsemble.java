/*
 * Measurement behind docs/RESULTS.md "Gate: a five-member world-model ensemble": does scoring C_H over K world
 * models (mean + k·std, or max) raise the gate's held-out event recall over one model?
 *
 * Run with the built launcher on the class path (Java's single-file source mode), e.g.
 *   java --add-modules jdk.incubator.vector -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 \
 *     -cp 'launch/target/farl-launch.jar:launch/target/lib/*' scripts/experiments/GateEnsemble.java \
 *     MODELS/data MODELS/world-model/v000001 bounded-push 5
 *
 * Member 0 is the given world model. Members 1..K-1 are trained with its configuration on its training episodes only
 * (init seeds seed*1000+j, 5 % of those episodes held out for their own report), so the calibration and test
 * splits (GateCalibration.splits) stay unseen by every member. Window 15 steps, lead >= 4 steps, as the benchmark's
 * pretraining calibrates. Prints, per scorer and (H, gamma): the calibration-split pick within the false-alarm
 * budget and the test split at that threshold; with K = 1, recall against a sweep of false-alarm budgets instead.
 */

import ai.djl.ndarray.NDManager;
import io.farl.model.api.Calibration;
import io.farl.model.api.CalibrationPoint;
import io.farl.model.api.CostRolloutConfig;
import io.farl.model.api.GateCalibration;
import io.farl.model.api.ProgressListener;
import io.farl.model.api.RolloutActionSource;
import io.farl.model.api.TransitionData;
import io.farl.model.api.WorldModelConfig;
import io.farl.model.djl.DjlFailureCostModel;
import io.farl.model.djl.DjlWorldModel;
import io.farl.model.djl.WorldModelTrainer;
import io.farl.pipeline.learn.TrainingData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

public final class GateEnsemble {
    private static final int WINDOW = 15;
    private static final int MIN_LEAD = 4;
    private static final int MAX_H = 3;

    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: GateEnsemble DATA_DIR WORLD_MODEL_VERSION_DIR TASK MEMBERS [FALSE_ALARM_BUDGET]");
            System.exit(2);
        }
        Path data = Path.of(args[0]);
        Path wmDir = Path.of(args[1]);
        String task = args[2];
        int members = Integer.parseInt(args[3]);
        double budget = args.length > 4 ? Double.parseDouble(args[4]) : 0.05;
        TransitionData all = TrainingData.transitions(TrainingData.episodes(List.of(data), Optional.of(task)));
        try (NDManager m = NDManager.newBaseManager()) {
            DjlWorldModel first = DjlWorldModel.load(m, wmDir);
            WorldModelConfig c = first.config();
            GateCalibration.Splits splits = GateCalibration.splits(all, c.heldOutFraction(), c.seed());
            TransitionData train = all.splitEpisodes(c.heldOutFraction(), c.seed()).train();
            List<float[][]> cal = new ArrayList<>();
            List<float[][]> test = new ArrayList<>();
            for (int j = 0; j < members; j++) {
                long t0 = System.nanoTime();
                DjlWorldModel wm = j == 0 ? first : WorldModelTrainer.train(m, train,
                        c.toBuilder().seed(c.seed() * 1000 + j).heldOutFraction(0.05).build(),
                        ProgressListener.NONE).model();
                DjlFailureCostModel cost = new DjlFailureCostModel(wm,
                        new CostRolloutConfig(MAX_H, 1.0, RolloutActionSource.POLICY_PRIOR), null);
                cal.add(terms(cost, splits.calibration()));
                test.add(terms(cost, splits.test()));
                System.out.printf(Locale.ROOT, "member %d ready (%.0f s)%n", j, (System.nanoTime() - t0) / 1e9);
            }
            System.out.printf(Locale.ROOT, "calibration split %d steps, %d IR failures; test split %d steps, %d IR "
                    + "failures; window %d, lead >= %d%n", splits.calibration().size(),
                    splits.calibration().failureCount(), splits.test().size(), splits.test().failureCount(), WINDOW,
                    MIN_LEAD);
            System.out.printf(Locale.ROOT, "%-24s %2s %5s %6s | %-22s | %s%n", "scorer", "H", "gamma", "budget",
                    "calibration recall/FA", "test recall/FA (lead)");
            if (members == 1) {
                for (int h = 0; h <= MAX_H; h++) {
                    for (double b : new double[] {0.02, 0.05, 0.10, 0.20, 0.30, 0.50}) {
                        row("one model", h, 0.9, b, cal, test, 0, false, splits);
                    }
                }
                return;
            }
            for (int h = 1; h <= MAX_H; h++) {
                for (double g : new double[] {0.8, 0.95}) {
                    row("member 0", h, g, budget, cal.subList(0, 1), test.subList(0, 1), 0, false, splits);
                    for (double k : new double[] {0, 0.5, 1, 2}) {
                        row("mean+" + k + "std (K=" + members + ")", h, g, budget, cal, test, k, false, splits);
                    }
                    row("max (K=" + members + ")", h, g, budget, cal, test, 0, true, splits);
                }
            }
        }
    }

    /** Undiscounted rollout terms per step, [H + 1][steps]. */
    private static float[][] terms(DjlFailureCostModel model, TransitionData d) {
        int n = d.size();
        int obsN = d.observationSize();
        int actN = d.actionSize();
        float[][] out = new float[model.horizonSteps() + 1][n];
        for (int s = 0; s < n; s += 512) {
            int b = Math.min(512, n - s);
            float[][] o = new float[b][];
            float[][] a = new float[b][];
            for (int i = 0; i < b; i++) {
                o[i] = Arrays.copyOfRange(d.observations(), (s + i) * obsN, (s + i + 1) * obsN);
                a[i] = Arrays.copyOfRange(d.actions(), (s + i) * actN, (s + i + 1) * actN);
            }
            float[][] t = model.constraintTerms(o, a);
            for (int h = 0; h < t.length; h++) {
                System.arraycopy(t[h], 0, out[h], s, b);
            }
        }
        return out;
    }

    /** C_H per step over the members: mean + k·std, or the maximum. */
    private static double[] score(List<float[][]> members, int h, double g, double k, boolean max) {
        double[][] s = new double[members.size()][];
        for (int j = 0; j < s.length; j++) {
            s[j] = GateCalibration.discountedSum(members.get(j), h, g);
        }
        double[] out = new double[s[0].length];
        for (int i = 0; i < out.length; i++) {
            double mean = 0;
            double top = Double.NEGATIVE_INFINITY;
            for (double[] x : s) {
                mean += x[i];
                top = Math.max(top, x[i]);
            }
            mean /= s.length;
            double var = 0;
            for (double[] x : s) {
                var += (x[i] - mean) * (x[i] - mean);
            }
            double std = s.length > 1 ? Math.sqrt(var / (s.length - 1)) : 0;
            out[i] = max ? top : mean + k * std;
        }
        return out;
    }

    private static void row(String name, int h, double g, double budget, List<float[][]> cal, List<float[][]> test,
            double k, boolean max, GateCalibration.Splits splits) {
        CalibrationPoint p = GateCalibration.bestAt(score(cal, h, g, k, max), splits.calibration(), WINDOW, MIN_LEAD, h,
                g, 0.95, budget, new ArrayList<>()).orElseThrow();
        CalibrationPoint t = Calibration.evaluate(score(test, h, g, k, max), splits.test(), WINDOW, MIN_LEAD, h, g,
                p.epsilonSafe());
        System.out.printf(Locale.ROOT, "%-24s %2d %5.2f %6.2f | %.3f / %.3f          | %.3f / %.3f (%.1f)%n", name,
                h, g, budget, p.eventRecall(), p.falseAlarmRate(), t.eventRecall(), t.falseAlarmRate(),
                t.meanLeadSteps());
    }
}
