package io.farl.launch;

import io.farl.pipeline.bench.ActBench;
import io.farl.robot.sim.TaskId;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code farl bench act}: the failure-aware ACT on six training sets per task and seed ({@link ActBench}). */
@Command(name = "act", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The failure-aware ACT trained on the successful demonstrations only, on them and every "
                + "failure, and on them and the lowest, middle, highest and a random third of the failures as farl "
                + "select-failures scores them; evaluation success on the fixed layouts, pooled over seeds (table + "
                + "JSON). One training at a time: run seeds in separate processes to use more cores.",
                "Demonstrations: MODELS/<task>/seed<S>/data (pretrained models of farl bench failurebench).",
                "Output: OUT/act-bench.json, OUT/<task>/seed<S>/<model>/<set>/ (models and reports), "
                        + "OUT/<task>/seed<S>/selection/."})
final class ActBenchCommand implements Callable<Integer> {

    @Option(names = "--tasks", defaultValue = "bounded-push", description = "Comma-separated task names or 'all'. "
            + "Default: ${DEFAULT-VALUE}.")
    String tasks;

    @Option(names = "--seeds", defaultValue = "3", description = "Seeds per task. Default: ${DEFAULT-VALUE}.")
    int seeds;

    @Option(names = "--first-seed", defaultValue = "100", description = "First seed (the pretrained models' seeds "
            + "S ... S+N-1). Default: ${DEFAULT-VALUE}.")
    long firstSeed;

    @Option(names = "--models", required = true, paramLabel = "ROOT", description = "Root of the pretrained models.")
    Path models;

    @Option(names = "--eval-episodes", defaultValue = "100", description = "Evaluation layouts per policy. Default: "
            + "${DEFAULT-VALUE}.")
    int evalEpisodes;

    @Option(names = "--references", defaultValue = "100", description = "Successful demonstrations each failure is "
            + "compared with. Default: ${DEFAULT-VALUE}.")
    int references;

    @Option(names = "--epochs", defaultValue = "60", description = "Epochs per training. Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--plain-act", description = "Also train plain ACT (no parametric bias, no KL term) on every set.")
    boolean plainAct;

    @Option(names = "--out", description = "Output folder (default: runs/act-bench).")
    Path out;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        FailureBenchCommand.checkSeeds(firstSeed, seeds);
        FailureBenchCommand.checkEvalEpisodes(evalEpisodes);
        if (references <= 0 || epochs <= 0) {
            throw new BadInputException("--references and --epochs must be > 0");
        }
        List<TaskId> taskList = Choices.tasks(tasks);
        Path outDir = out != null ? out : Path.of("runs", "act-bench");
        ActBench.run(new ActBench.Config(taskList, firstSeed, seeds, models, outDir, evalEpisodes, references, epochs, plainAct),
                spec.commandLine().getOut());
        return FarlCli.EXIT_OK;
    }
}
