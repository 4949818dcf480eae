package io.farl.launch;

import io.farl.launch.learn.DataOptions;
import io.farl.model.api.RolloutActionSource;
import io.farl.pipeline.learn.GateCalibrationRun;
import io.farl.pipeline.learn.ModelBundle;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code farl calibrate}: chooses H, γ_risk and ε_safe of the gate on a calibration split of held-out episodes and
 * reports them on a separate test split ({@link GateCalibrationRun}). Exit 1 when the pick misses the target recall
 * or the false-alarm budget (its best point is stored all the same) or when nothing could be evaluated.
 */
@Command(name = "calibrate", mixinStandardHelpOptions = true,
        description = "Choose H, gamma_risk and eps_safe on a calibration split of held-out episodes; report them on "
                + "a separate test split.")
final class CalibrateCommand implements Callable<Integer> {

    @Mixin
    DataOptions data;

    @Option(names = "--models", required = true, description = "Models directory of the task.")
    Path models;

    @Option(names = "--horizons", defaultValue = "1,2,3,5", split = ",",
            description = "H values to sweep; at most the world model's training rollout length.")
    int[] horizons;

    @Option(names = "--gamma-risk", defaultValue = "0.8,0.9,0.95", split = ",",
            description = "Discounts of later steps in C_H to sweep.")
    double[] gammas;

    @Option(names = "--window", defaultValue = "10", description = "Pre-failure window k in steps.")
    int window;

    @Option(names = "--min-lead", defaultValue = "2",
            description = "Steps an alarm must come before the IR failure to count as catching it.")
    int minLead;

    @Option(names = "--target-recall", defaultValue = "0.95", description = "Event recall to reach.")
    double targetRecall;

    @Option(names = "--max-false-alarms", defaultValue = "0.10",
            description = "False-alarm budget: the pick reaches --target-recall within it, else the highest recall "
                    + "within it; exit 1 when either goal is missed.")
    double maxFalseAlarms;

    @Option(names = "--rollout", defaultValue = "prior",
            description = "How C_H acts after the first step: prior (world model's policy prior) or decoded "
                    + "(decoder z->s feeding the task policy; needs a world model trained with --decoder).")
    String rollout;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        validate();
        RolloutActionSource source = switch (rollout) {
            case "prior" -> RolloutActionSource.POLICY_PRIOR;
            case "decoded" -> RolloutActionSource.DECODED_TASK_POLICY;
            default -> throw new BadInputException("--rollout must be prior or decoded, got '" + rollout + "'");
        };
        GateCalibrationRun.Settings settings = new GateCalibrationRun.Settings(horizons, gammas, window, minLead,
                targetRecall, maxFalseAlarms, source, rollout);
        GateCalibrationRun.Outcome outcome = GateCalibrationRun.run(data.taskId().cliName(), data.transitions(),
                new ModelBundle(models), settings, spec.commandLine().getOut());
        return outcome == GateCalibrationRun.Outcome.MET ? FarlCli.EXIT_OK : FarlCli.EXIT_RESULT_FAILED;
    }

    private void validate() {
        if (window < 0 || minLead < 0 || minLead > window) {
            throw new BadInputException("need --window >= 0 and --min-lead in [0, --window], got " + window + ", "
                    + minLead);
        }
        if (!(targetRecall > 0 && targetRecall <= 1)) {
            throw new BadInputException("--target-recall must be in (0, 1], got " + targetRecall);
        }
        if (horizons.length == 0 || Arrays.stream(horizons).anyMatch(h -> h < 0)) {
            throw new BadInputException("--horizons must list H values >= 0");
        }
        if (gammas.length == 0 || Arrays.stream(gammas).anyMatch(g -> !(g > 0 && g <= 1))) {
            throw new BadInputException("--gamma-risk values must be in (0, 1], got " + Arrays.toString(gammas));
        }
    }
}
