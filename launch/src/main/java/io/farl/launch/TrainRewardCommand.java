package io.farl.launch;

import io.farl.launch.learn.DataOptions;
import io.farl.launch.learn.Progress;
import io.farl.model.api.RewardModelConfig;
import io.farl.model.api.TransitionData;
import io.farl.pipeline.learn.ModelBundle;
import io.farl.pipeline.learn.RewardTraining;
import io.farl.controller.dataset.Episode;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code farl train reward}: a learned state reward from successful and failed episodes ({@link RewardTraining}). */
@Command(name = "reward", mixinStandardHelpOptions = true,
        description = "Learn a state reward r(s) from successful and failed episodes (TW-CRL: time-weighted "
                + "contrastive reward learning; later states weigh more, success states are positive and failure "
                + "states negative). Writes OUT/reward-model/vNNNNNN and OUT/reports/reward-model.json.")
final class TrainRewardCommand implements Callable<Integer> {

    @Mixin
    DataOptions data;

    @Option(names = "--out", required = true, description = "Models directory of the task (created if needed).")
    Path out;

    @Option(names = "--method", defaultValue = "tw-crl", description = "tw-crl (time-weighted labels +/-w(t)) or "
            + "crl (constant labels +/-1, the ablation). Default: ${DEFAULT-VALUE}.")
    String method;

    @Option(names = "--alpha-scale", defaultValue = "8", description = "alpha * T of the time weighting w(t) "
            + "(T: the episode's length); larger puts more of the weight on the last states. Default: "
            + "${DEFAULT-VALUE}.")
    double alphaScale;

    @Option(names = "--hidden", defaultValue = "128", description = "Width of the two hidden blocks. Default: "
            + "${DEFAULT-VALUE}.")
    int hidden;

    @Option(names = "--epochs", defaultValue = "30", description = "Passes over the training states. Default: "
            + "${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--held-out", defaultValue = "0.2", description = "Fraction of episodes held out for the "
            + "report, in [0, 0.5]. Default: ${DEFAULT-VALUE}.")
    double heldOut;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the split, initialisation and shuffling. "
            + "Default: ${DEFAULT-VALUE}.")
    long seed;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        boolean timeWeighted = switch (method) {
            case "tw-crl" -> true;
            case "crl" -> false;
            default -> throw new BadInputException("--method must be tw-crl or crl, got '" + method + "'");
        };
        List<Episode> episodes = data.episodes();
        TransitionData all = data.transitions(episodes, false);
        RewardModelConfig defaults = RewardModelConfig.defaults(all.observationSize(), seed);
        RewardModelConfig config;
        try {
            config = new RewardModelConfig(all.observationSize(), hidden, defaults.hiddenLayers(), alphaScale,
                    timeWeighted, epochs, defaults.batchSize(), defaults.learningRate(), heldOut, seed);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("bad reward option: " + e.getMessage(), e);
        }
        spec.commandLine().getOut().printf("training a %s reward for %s on %d episodes%n", method,
                data.taskId().cliName(), all.episodeCount());
        ModelBundle bundle = new ModelBundle(out);
        RewardTraining.run(data.taskId().cliName(), all, config, bundle, Progress::new, spec.commandLine().getOut(),
                RewardTraining.layoutOf(episodes));
        return FarlCli.EXIT_OK;
    }
}
