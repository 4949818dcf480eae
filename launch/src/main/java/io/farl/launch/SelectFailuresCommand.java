package io.farl.launch;

import io.farl.launch.learn.DataOptions;
import io.farl.pipeline.learn.FailureSelection;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code farl select-failures}: failed demonstrations ranked by attention discrepancy ({@link FailureSelection}). */
@Command(name = "select-failures", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Score every failed demonstration by how far the attention of a failure-aware ACT (trained on "
                + "all of them: farl train act --failures all) moves between its own parametric bias and those of "
                + "the successful demonstrations, and write the lowest, middle and highest thirds and a random "
                + "third as dataset files.",
                "Writes OUT/failure-scores.json and OUT/low.farl, OUT/mid.farl, OUT/high.farl, OUT/random.farl "
                        + "(for farl train act --failures selected --failure-data)."})
final class SelectFailuresCommand implements Callable<Integer> {

    @Option(names = "--models", required = true, paramLabel = "DIR", description = "The ACT: a folder holding "
            + "act-policy/ (farl train act --out), act-policy/ itself or one version.")
    Path models;

    @Mixin
    DataOptions data;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
    Path out;

    @Option(names = "--references", defaultValue = "100", paramLabel = "N", description = "Compare each failure with "
            + "at most N successful demonstrations, evenly spaced. Default: ${DEFAULT-VALUE}.")
    int references;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the random third. Default: "
            + "${DEFAULT-VALUE}.")
    long seed;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (references <= 0) {
            throw new BadInputException("--references must be > 0, got " + references);
        }
        FailureSelection.run(data.taskId().cliName(), models, data.episodes(), out, references, seed,
                spec.commandLine().getOut());
        return FarlCli.EXIT_OK;
    }
}
