package io.farl.launch;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Benchmarks that write JSON: speed and quality figures are measured here, never in timed unit tests. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure and report (JSON): simulator and demonstrators.",
        subcommands = {SimBenchCommand.class, LoopBenchCommand.class, FailureBenchCommand.class, LinkBenchCommand.class,
                RemoteBenchCommand.class, RewardBenchCommand.class, ImitationBenchCommand.class, ActBenchCommand.class})
final class BenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing benchmark; see farl bench --help");
    }
}
