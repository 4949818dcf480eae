package io.farl.pipeline.learn;

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
import io.farl.pipeline.PipelineInputException;
import io.farl.pipeline.report.Proportion;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How well a world model trained on one set of demonstrations predicts the failures of a policy it never saw: the
 * critic half of the failure-selection comparison ({@code farl bench act --critic}). The world model trains on the
 * set alone (nothing held out); the held-out data (the pretrained task policy's own rollouts) is halved into a
 * calibration half, where H, γ_risk and ε are picked for the target recall within the false-alarm budget as
 * {@code farl calibrate} picks them, and a test half, where that point is measured: event recall (an IR failure
 * counts as caught when an alarm comes at least {@code minLead} steps before it) with its Wilson interval, and the
 * false-alarm rate on every step outside the pre-failure windows.
 */
public final class CriticRecall {
    /** Mixed into the seed of the calibration/test halves of the held-out rollouts. */
    static final long HALVES_SALT = 0x5E1EC7L;

    /**
     * The world model and the calibration.
     *
     * @param size           tiny, compact, small or large ({@link WorldModelTraining#sized})
     * @param epochs         training epochs
     * @param stepsPerEpoch  gradient steps per epoch
     * @param horizons       H values swept
     * @param gammas         γ_risk values swept
     * @param window         pre-failure window in steps
     * @param minLead        steps an alarm must come before a failure to count
     * @param targetRecall   event recall aimed for
     * @param maxFalseAlarms false-alarm budget
     */
    public record Settings(String size, int epochs, int stepsPerEpoch, int[] horizons, double[] gammas, int window,
            int minLead, double targetRecall, double maxFalseAlarms) {

        /** The pretraining's world model at the demo budget, calibrated with a 10% false-alarm budget. */
        public static Settings bench() {
            Pretraining.Budget b = Pretraining.Budget.demo();
            return new Settings(b.worldModelSize(), b.worldModelEpochs(), b.worldModelSteps(), new int[] {1, 2, 3, 5},
                    new double[] {0.8, 0.9, 0.95}, Pretraining.WINDOW_STEPS, Pretraining.MIN_LEAD_STEPS,
                    Pretraining.TARGET_RECALL, 0.10);
        }

        public Settings withTraining(int newEpochs, int newStepsPerEpoch) {
            return new Settings(size, newEpochs, newStepsPerEpoch, horizons, gammas, window, minLead, targetRecall,
                    maxFalseAlarms);
        }
    }

    /**
     * One world model's figures.
     *
     * @param trainEpisodes     episodes it trained on
     * @param trainFailureSteps IR-failure steps among them
     * @param pick              the calibration half's point
     * @param test              the same H, γ_risk and ε on the test half
     * @param testRecall        caught failures of the test half, with the Wilson interval
     * @param wallSeconds       training and measuring
     */
    public record Result(int trainEpisodes, int trainFailureSteps, GateCalibrationRun.SplitSize calibrationHalf,
            GateCalibrationRun.SplitSize testHalf, CalibrationPoint pick, CalibrationPoint test, Proportion testRecall,
            double wallSeconds) {
    }

    private CriticRecall() {
    }

    /**
     * Trains a world model on {@code train} and measures it on {@code heldOut}.
     *
     * @throws PipelineInputException when a half of {@code heldOut} holds no IR failure
     */
    public static Result run(TransitionData train, TransitionData heldOut, Settings s, long seed) {
        long t0 = System.nanoTime();
        TransitionData.Split halves = heldOut.splitEpisodes(0.5, seed ^ HALVES_SALT);
        TransitionData calibration = halves.train();
        TransitionData test = halves.heldOut();
        if (calibration.failureCount() == 0 || test.failureCount() == 0) {
            throw new PipelineInputException("the held-out rollouts hold too few IR failures to halve ("
                    + heldOut.failureCount() + " in " + heldOut.episodeCount() + " episodes)");
        }
        int hMax = Arrays.stream(s.horizons()).max().orElseThrow();
        WorldModelConfig config = WorldModelTraining.sized(WorldModelConfig.builder(train.observationSize(),
                train.actionSize()), s.size()).epochs(s.epochs()).stepsPerEpoch(s.stepsPerEpoch())
                .heldOutFraction(0).seed(seed).build();
        if (hMax > config.trainHorizonSteps()) {
            throw new PipelineInputException("H = " + hMax + " is longer than the world model's "
                    + config.trainHorizonSteps() + "-step training rollouts");
        }
        float[][] calTerms;
        float[][] testTerms;
        try (NDManager manager = NDManager.newBaseManager();
                DjlWorldModel wm = WorldModelTrainer.train(manager, train, config, ProgressListener.NONE).model()) {
            DjlFailureCostModel cost = new DjlFailureCostModel(wm, new CostRolloutConfig(hMax, 1.0,
                    RolloutActionSource.POLICY_PRIOR), null);
            calTerms = GateCalibrationRun.terms(cost, calibration);
            testTerms = GateCalibrationRun.terms(cost, test);
        }
        List<CalibrationPoint> perSetting = new ArrayList<>();
        for (int h : s.horizons()) {
            for (double g : s.gammas()) {
                GateCalibration.bestAt(GateCalibration.discountedSum(calTerms, h, g), calibration, s.window(),
                        s.minLead(), h, g, s.targetRecall(), s.maxFalseAlarms(), new ArrayList<>())
                        .ifPresent(perSetting::add);
            }
        }
        CalibrationPoint pick = GateCalibration.pick(perSetting, s.targetRecall(), s.maxFalseAlarms())
                .orElseThrow(() -> new PipelineInputException("no alarm threshold could be evaluated on the "
                        + "calibration half"));
        CalibrationPoint measured = Calibration.evaluate(GateCalibration.discountedSum(testTerms, pick.horizonSteps(),
                pick.gammaRisk()), test, s.window(), s.minLead(), pick.horizonSteps(), pick.gammaRisk(),
                pick.epsilonSafe());
        long caught = Math.round(measured.eventRecall() * measured.failureEvents());
        return new Result(train.episodeCount(), train.failureCount(), GateCalibrationRun.SplitSize.of(calibration),
                GateCalibrationRun.SplitSize.of(test), pick, measured, Proportion.of(caught, measured.failureEvents()),
                (System.nanoTime() - t0) / 1e9);
    }
}
