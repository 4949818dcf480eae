package io.farl.pipeline.learn;

import io.farl.pipeline.Folders;
import io.farl.pipeline.PipelineInputException;
import io.farl.pipeline.data.Collector;
import io.farl.robot.sim.TaskId;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The offline half of FARL for one task, as the verbs a user runs by hand: {@code collect} (expert, failure,
 * recovery demonstrations), {@code train policy} for the task and recovery policies, {@code collect --kind policy}
 * (the pretrained task policy's own rollouts), {@code train world-model} on all of it, {@code calibrate}, then
 * {@code collect --kind recovery-alarms} (scripted recoveries from the states where the calibrated gate alarms on the
 * task policy, kept under {@code MODELS/recovery-alarms} because they depend on the gate), {@code train policy --role
 * recovery} again on all recovery data, and {@code eval-recovery}. Used by {@code farl demo},
 * {@code farl bench failurebench} and tests, so every path trains the same way. The caller runs each stage's
 * command line through a {@link StageRunner} (the command line runs them in-process).
 */
public final class Pretraining {

    /** Calibration window: the pre-failure steps in which an alarm counts. */
    public static final int WINDOW_STEPS = 15;
    /** Event recall the gate is calibrated for. */
    public static final double TARGET_RECALL = 0.95;
    /** First seed of the policy rollouts, away from the demonstrations' seeds. */
    public static final long POLICY_SEED_BASE = 500_000L;
    /**
     * Policy rollouts per demonstration of each kind. Online failures are the task policy's own; with as many rollouts
     * as demonstrations (300 on bounded-push, about 49 IR failures) the gate warned at least 4 steps ahead of 28 of 56
     * online failures, with three times as many 20 of 24 (docs/RESULTS.md).
     */
    public static final int POLICY_ROLLOUTS_PER_DEMONSTRATION = 3;
    /**
     * False-alarm budget of the calibration (alarms per held-out step outside the pre-failure windows). Online, each
     * alarm starts a recovery stretch of at least five steps under exploration noise, so the override rate came out
     * four to six times this budget on bounded-push (docs/RESULTS.md).
     */
    public static final double MAX_FALSE_ALARMS = 0.05;
    /**
     * An alarm must come this many steps (0.4 s) before an IR failure to count in calibration. With 2, a tenth of the
     * states where the gate first alarmed were already lost (a puck sliding out that not even the scripted recovery
     * could stop); online recall counts warnings with the same lead.
     */
    public static final int MIN_LEAD_STEPS = 4;
    /** First seed of the task-policy rollouts that collect recoveries from alarmed states. */
    public static final long ALARM_SEED_BASE = 600_000L;
    /** Folder under MODELS of the recoveries from alarmed states. */
    public static final String ALARM_DATA = "recovery-alarms";

    /**
     * Data and training budget.
     *
     * @param episodes        demonstrations per kind
     * @param actionNoise     executed-action noise of expert and recovery demonstrations
     * @param worldModelSize  tiny, small or large
     * @param worldModelEpochs epochs of world-model training
     * @param worldModelSteps gradient steps per epoch
     * @param bcEpochs        behaviour-cloning epochs
     * @param improveSteps    offline-improvement steps of the task policy (0: BC only)
     * @param criticEpochs    epochs of the V and Q fits of the offline improvement
     */
    public record Budget(int episodes, double actionNoise, String worldModelSize, int worldModelEpochs,
            int worldModelSteps, int bcEpochs, int improveSteps, int criticEpochs) {

        /** Seconds per task: for tests. */
        public static Budget tiny() {
            return new Budget(8, 0.3, "tiny", 2, 20, 3, 20, 2);
        }

        /**
         * A few minutes per task on two cores: the demo. 300 episodes of each kind give the gate's calibration and
         * test splits about 45 IR failures each (100 gave 11, too few to set a threshold for 95% recall).
         */
        public static Budget demo() {
            return new Budget(300, 0.3, "compact", 10, 200, 40, 1000, 10);
        }

        /** Benchmarks: 500 demonstrations per kind, the small world model (latent 64, hidden 256, batch 256). */
        public static Budget small() {
            return new Budget(500, 0.3, "small", 20, 250, 60, 2000, 20);
        }

        public static Budget named(String name) {
            return switch (name) {
                case "tiny" -> tiny();
                case "demo" -> demo();
                case "small" -> small();
                default -> throw new PipelineInputException("budget must be tiny, demo or small, got '" + name + "'");
            };
        }
    }

    private Pretraining() {
    }

    /**
     * Runs one stage's command line. The status follows the command line's exit codes: {@link #STAGE_OK},
     * {@link #STAGE_MISSED_GOAL} (the stage ran, its result missed a goal), anything else a failure.
     */
    @FunctionalInterface
    public interface StageRunner {
        int run(String[] commandLine, PrintWriter out);
    }

    /** Status of a stage that did its job. */
    public static final int STAGE_OK = 0;
    /** Status of a stage that ran but whose result missed its goal (a calibration short of its recall, say). */
    public static final int STAGE_MISSED_GOAL = 1;
    /** Status of a stage whose input was unusable. */
    public static final int STAGE_BAD_INPUT = 2;

    /**
     * What the stages do beyond the budget, for markers of finished pretraining runs: models built by another recipe
     * are rebuilt, not reused.
     */
    public static String recipe() {
        return "policy rollouts " + POLICY_ROLLOUTS_PER_DEMONSTRATION + "x, window " + WINDOW_STEPS + ", lead "
                + MIN_LEAD_STEPS + ", recall " + TARGET_RECALL + ", false alarms " + MAX_FALSE_ALARMS
                + ", recovery improved with reward step cost " + PolicyTraining.RECOVERY_STEP_COST;
    }

    /** Offline-improvement steps of the recovery policy: half the task policy's (its data is smaller). */
    static int recoveryImproveSteps(Budget b) {
        return b.improveSteps() / 2;
    }

    /** The stages, each a farl command line. */
    public static List<String[]> stages(TaskId task, Path data, Path models, Budget b, long seed) {
        String t = task.cliName();
        String s = Long.toString(seed);
        List<String[]> stages = new ArrayList<>();
        stages.add(new String[] {"collect", "--task", t, "--kind", "all", "--episodes", Integer.toString(b.episodes()),
            "--seed", s, "--out", data.toString(), "--action-noise", Double.toString(b.actionNoise()),
            "--no-progress"});
        stages.add(new String[] {"train", "policy", "--data", data.toString(), "--task", t, "--out", models.toString(),
            "--role", "task", "--bc-epochs", Integer.toString(b.bcEpochs()), "--improve-steps",
            Integer.toString(b.improveSteps()), "--critic-epochs", Integer.toString(b.criticEpochs()), "--seed", s});
        stages.add(new String[] {"train", "policy", "--data", data.toString(), "--task", t, "--out", models.toString(),
            "--role", "recovery", "--bc-epochs", Integer.toString(b.bcEpochs()), "--seed", s});
        // the pretrained policy's own rollouts: online fine-tuning starts from this policy, so the failure predictor
        // must know its states and failures, not only the scripted demonstrators'
        stages.add(new String[] {"collect", "--task", t, "--kind", "policy", "--policy", models.toString(),
            "--episodes", Integer.toString(POLICY_ROLLOUTS_PER_DEMONSTRATION * b.episodes()), "--seed",
            Long.toString(POLICY_SEED_BASE + seed), "--out", data.toString()});
        stages.add(new String[] {"train", "world-model", "--data", data.toString(), "--task", t, "--out",
            models.toString(), "--size", b.worldModelSize(), "--epochs", Integer.toString(b.worldModelEpochs()),
            "--steps-per-epoch", Integer.toString(b.worldModelSteps()), "--seed", s});
        stages.add(new String[] {"calibrate", "--data", data.toString(), "--task", t, "--models", models.toString(),
            "--window", Integer.toString(WINDOW_STEPS), "--min-lead", Integer.toString(MIN_LEAD_STEPS),
            "--target-recall", Double.toString(TARGET_RECALL), "--max-false-alarms", Double.toString(MAX_FALSE_ALARMS)});
        // DAgger-style: the recovery policy learns the states the gate really hands it, labelled by the scripted
        // recovery demonstrator
        Path alarms = models.resolve(ALARM_DATA);
        stages.add(new String[] {"collect", "--task", t, "--kind", "recovery-alarms", "--policy", models.toString(),
            "--episodes", Integer.toString(b.episodes()), "--seed", Long.toString(ALARM_SEED_BASE + seed * 10_000),
            "--action-noise", Double.toString(b.actionNoise()), "--out", alarms.toString()});
        // then the paper's recipe for π_rec: the task policy's offline improvement, here for reaching a safe state
        stages.add(new String[] {"train", "policy", "--data", data.toString(), alarms.toString(), "--task", t, "--out",
            models.toString(), "--role", "recovery", "--bc-epochs", Integer.toString(b.bcEpochs()), "--improve-steps",
            Integer.toString(recoveryImproveSteps(b)), "--improve-recovery", "--critic-epochs",
            Integer.toString(b.criticEpochs()), "--seed", s});
        stages.add(new String[] {"eval-recovery", "--models", models.toString(), "--task", t, "--rollouts",
            Integer.toString(Math.min(100, Math.max(10, b.episodes())))});
        return stages;
    }

    /**
     * Runs every stage, printing each command line to {@code log}; stops at the first that fails. A calibration that
     * misses its recall or false-alarm goal still stores its best point and does not stop the pipeline.
     */
    public static void run(TaskId task, Path data, Path models, Budget b, long seed, StageRunner stages,
            PrintWriter log, PrintWriter stageOut) {
        // a run trains every model afresh: the models, reports and alarm recoveries an earlier (possibly interrupted)
        // run left under MODELS, and the rollouts of its task policy, would not match the new models; demonstrations
        // resume as they are, and other files under MODELS (logs, markers) are left alone
        try {
            ModelBundle bundle = new ModelBundle(models);
            for (Path p : List.of(bundle.worldModel(), bundle.taskPolicy(), bundle.recoveryPolicy(), bundle.reports(),
                    models.resolve(ALARM_DATA))) {
                Folders.deleteTree(p);
            }
            Files.deleteIfExists(bundle.calibrationFile());
            Files.deleteIfExists(Collector.policyFileFor(data, task));
        } catch (IOException e) {
            throw new PipelineException("cannot clear " + models + " for a fresh pretraining run: " + e.getMessage(),
                    STAGE_BAD_INPUT);
        }
        for (String[] stage : stages(task, data, models, b, seed)) {
            log.printf(Locale.ROOT, "%n== farl %s%n", String.join(" ", stage));
            log.flush();
            int rc = stages.run(stage, stageOut);
            boolean calibrationShort = rc == STAGE_MISSED_GOAL && stage[0].equals("calibrate")
                    && Files.isRegularFile(new ModelBundle(models).calibrationFile());
            if (calibrationShort) {
                log.println("(calibration missed its goal; its best point is stored: see the table above)");
            } else if (rc == STAGE_MISSED_GOAL && stage[0].equals("eval-recovery")) {
                log.println("(the recovery policy missed its safe-reached goal: see the table above)");
            } else if (rc != STAGE_OK) {
                throw new PipelineException("'farl " + String.join(" ", stage) + "' exited with " + rc, rc);
            }
        }
    }

    /** A stage failed; carries its status. */
    public static final class PipelineException extends RuntimeException {
        private final int exitCode;

        PipelineException(String message, int exitCode) {
            super(message);
            this.exitCode = exitCode;
        }

        public int exitCode() {
            return exitCode;
        }
    }
}
