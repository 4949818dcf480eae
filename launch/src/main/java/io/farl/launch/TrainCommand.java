package io.farl.launch;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code farl train}: offline training of the world model and the policies on recorded demonstrations. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train the world model (with failure head) or a policy offline on recorded datasets.",
        subcommands = {TrainWorldModelCommand.class, TrainPolicyCommand.class, TrainRewardCommand.class,
                TrainImitationCommand.class, TrainActCommand.class})
final class TrainCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing model; see farl train --help");
    }
}
