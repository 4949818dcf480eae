package io.farl.launch;

import io.farl.pipeline.learn.Pretraining;
import io.farl.robot.sim.TaskId;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code farl pretrain}: the offline pipeline of one task and seed ({@link Pretraining#run}: collect, train both
 * policies, the policy's own rollouts, world model, calibrate) with an exact budget. {@code farl demo} and
 * {@code farl bench failurebench} run it in a child JVM per seed, so that pretrainings run in parallel and each
 * trains in a process of its own, as a hand-run chain of verbs would. Hidden: users run the verbs, or the demo.
 */
@Command(name = "pretrain", hidden = true, mixinStandardHelpOptions = true,
        description = "The offline pipeline of one task and seed (collect, train, calibrate) with an exact budget.")
public final class PretrainCommand implements Callable<Integer> {

    @Option(names = "--task", required = true, description = "FailureBench task.")
    String task;

    @Option(names = "--data", required = true, description = "Dataset folder.")
    Path data;

    @Option(names = "--models", required = true, description = "Models folder.")
    Path models;

    @Option(names = "--seed", required = true, description = "Seed of collection and training.")
    long seed;

    @Option(names = "--budget-spec", required = true, description = "episodes,actionNoise,worldModelSize,"
            + "worldModelEpochs,worldModelSteps,bcEpochs,improveSteps,criticEpochs")
    String budgetSpec;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The {@code --budget-spec} of a budget. */
    public static String spec(Pretraining.Budget b) {
        return b.episodes() + "," + b.actionNoise() + "," + b.worldModelSize() + "," + b.worldModelEpochs() + ","
                + b.worldModelSteps() + "," + b.bcEpochs() + "," + b.improveSteps() + "," + b.criticEpochs();
    }

    static Pretraining.Budget parse(String spec) {
        String[] f = spec.split(",");
        if (f.length != 8) {
            throw new BadInputException("--budget-spec needs 8 comma-separated fields, got '" + spec + "'");
        }
        try {
            return new Pretraining.Budget(Integer.parseInt(f[0]), Double.parseDouble(f[1]), f[2],
                    Integer.parseInt(f[3]), Integer.parseInt(f[4]), Integer.parseInt(f[5]), Integer.parseInt(f[6]),
                    Integer.parseInt(f[7]));
        } catch (NumberFormatException e) {
            throw new BadInputException("--budget-spec '" + spec + "': " + e.getMessage(), e);
        }
    }

    @Override
    public Integer call() {
        TaskId t = Choices.tasks(task).get(0);
        PrintWriter out = spec.commandLine().getOut();
        try {
            Pretraining.run(t, data, models, parse(budgetSpec), seed, (stage, stageOut) -> FarlCli.execute(stageOut,
                    stageOut, stage), out, out);
        } catch (Pretraining.PipelineException e) {
            out.println("pretraining stopped: " + e.getMessage());
            out.flush();
            return e.exitCode();
        }
        out.flush();
        return FarlCli.EXIT_OK;
    }
}
