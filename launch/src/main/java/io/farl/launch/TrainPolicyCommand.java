package io.farl.launch;

import io.farl.launch.learn.DataOptions;
import io.farl.launch.learn.Progress;
import io.farl.model.api.EpisodeSource;
import io.farl.model.api.TransitionData;
import io.farl.pipeline.learn.ModelBundle;
import io.farl.pipeline.learn.PolicyTraining;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code farl train policy}: behaviour cloning of the task policy on task demonstrations, then Uni-O4-style
 * offline improvement (a second model version); or behaviour cloning of the recovery policy on recovery
 * demonstrations ({@link PolicyTraining}).
 */
@Command(name = "policy", mixinStandardHelpOptions = true,
        description = "Train the task policy (BC + offline improvement) or the recovery policy (BC, and with "
                + "--improve-recovery offline improvement for reaching a safe state).")
final class TrainPolicyCommand implements Callable<Integer> {

    @Mixin
    DataOptions data;

    @Option(names = "--out", required = true, description = "Models directory of the task (created if needed).")
    Path out;

    @Option(names = "--role", required = true, description = "task or recovery.")
    String role;

    @Option(names = "--hidden", defaultValue = "256", description = "Units per hidden layer.")
    int hidden;

    @Option(names = "--bc-epochs", defaultValue = "50", description = "Behaviour-cloning epochs.")
    int bcEpochs;

    @Option(names = "--improve-steps", defaultValue = "2000",
            description = "Offline improvement steps after BC (0 = BC only). Default on for the task policy only.")
    int improveSteps;

    @Option(names = "--improve-recovery", description = "Also run offline improvement on the recovery policy, with the recovery reward: +1 for "
                    + "ending in a safe state, -1 for an IR failure, -0.01 per step.")
    boolean improveRecovery;

    @Option(names = "--critic-epochs", defaultValue = "20", description = "Epochs of the V and Q regressions.")
    int criticEpochs;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of initialisation and sampling.")
    long seed;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        boolean task = switch (role) {
            case "task" -> true;
            case "recovery" -> false;
            default -> throw new BadInputException("--role must be task or recovery, got '" + role + "'");
        };
        if (bcEpochs <= 0 || improveSteps < 0 || criticEpochs <= 0 || hidden <= 0) {
            throw new BadInputException("--bc-epochs, --critic-epochs and --hidden must be > 0 and --improve-steps >= 0");
        }
        var episodes = data.episodes();
        TransitionData all = data.transitions(episodes, false);
        // behaviour cloning learns the demonstrator's intended action; improvement and critics the executed one
        TransitionData demos = data.transitions(episodes, true)
                .selectSources(task ? EpisodeSource.EXPERT : EpisodeSource.RECOVERY);
        if (demos.size() == 0) {
            throw new BadInputException("no " + (task ? "expert" : "recovery") + " demonstrations of task "
                    + data.taskId().cliName() + " in " + data.data);
        }
        PolicyTraining.run(data.taskId().cliName(), all, demos, new PolicyTraining.Settings(task, hidden, bcEpochs,
                improveSteps, improveRecovery, criticEpochs, seed), new ModelBundle(this.out), Progress::new, out);
        return FarlCli.EXIT_OK;
    }
}
