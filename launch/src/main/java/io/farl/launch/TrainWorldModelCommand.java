package io.farl.launch;

import io.farl.launch.learn.DataOptions;
import io.farl.launch.learn.Progress;
import io.farl.model.api.TransitionData;
import io.farl.model.api.WorldModelConfig;
import io.farl.pipeline.learn.ModelBundle;
import io.farl.pipeline.PipelineInputException;
import io.farl.pipeline.learn.WorldModelTraining;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code farl train world-model}: the latent world model with its constraint head, trained on the task and failure
 * demonstrations of one task; held-out losses and constraint-head AUROC are reported and stored with the model
 * ({@link WorldModelTraining}).
 */
@Command(name = "world-model", mixinStandardHelpOptions = true,
        description = "Train the TD-MPC2-style world model and failure head on task, failure, policy and "
                + "recovery episodes.")
final class TrainWorldModelCommand implements Callable<Integer> {

    @Mixin
    DataOptions data;

    @Option(names = "--out", required = true, description = "Models directory of the task (created if needed).")
    Path out;

    @Option(names = "--size", defaultValue = "small",
            description = "Network sizes and batch: tiny (latent 16, hidden 32, batch 64), compact (64, 128, 128), "
                    + "small (64, 256, 256), large (512, 512, 256).")
    String size;

    @Option(names = "--epochs", defaultValue = "20", description = "Training epochs.")
    int epochs;

    @Option(names = "--steps-per-epoch", defaultValue = "200", description = "Gradient steps per epoch.")
    int stepsPerEpoch;

    @Option(names = "--held-out", defaultValue = "0.3",
            description = "Fraction of episodes held out, in (0, 0.5]; farl calibrate halves them into calibration "
                    + "and test splits.")
    double heldOut;

    @Option(names = "--decoder", description = "Also train a latent decoder (for decoded-policy C_H rollouts).")
    boolean decoder;

    @Option(names = "--constraint-discount", defaultValue = "0.9",
            description = "Discount of the failure head's failure-to-go target (0: the failure step's label only).")
    double constraintDiscount;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of initialisation, sampling and the split.")
    long seed;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        // every kind of episode: expert, failure and policy rollouts for the failure head and the prior, recovery
        // demonstrations so that recovery actions in near-failure states are known to be safe; calibration rebuilds
        // the same split from the same data
        TransitionData train = data.transitions();
        if (train.failureCount() == 0) {
            throw new BadInputException("no IR-failure steps in the data of task " + data.taskId().cliName()
                    + ": the failure head needs failure demonstrations (farl collect --kind failure)");
        }
        WorldModelConfig config;
        try {
            config = sized(WorldModelConfig.builder(train.observationSize(), train.actionSize()), size)
                    .epochs(epochs).stepsPerEpoch(stepsPerEpoch).heldOutFraction(heldOut).decoderEnabled(decoder)
                    .constraintDiscount(constraintDiscount).seed(seed).build();
        } catch (IllegalArgumentException e) {
            throw new BadInputException("bad world-model option: " + e.getMessage());
        }
        out.printf(Locale.ROOT, "training world model for %s on %d transitions (%d episodes, %d IR-failure steps)%n",
                data.taskId().cliName(), train.size(), train.episodeCount(), train.failureCount());
        WorldModelTraining.run(data.taskId().cliName(), train, config, new ModelBundle(this.out), Progress::new, out);
        return FarlCli.EXIT_OK;
    }


    static WorldModelConfig.Builder sized(WorldModelConfig.Builder b, String size) {
        try {
            return WorldModelTraining.sized(b, size);
        } catch (PipelineInputException e) {
            throw new BadInputException("--size: " + e.getMessage());
        }
    }
}
