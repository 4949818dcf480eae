package io.farl.launch;

import io.farl.pipeline.Json;
import io.farl.pipeline.data.SimBenchReport;
import io.farl.robot.sim.DemoEvaluation;
import io.farl.robot.sim.DemoKind;
import io.farl.robot.sim.DemoStats;
import io.farl.robot.sim.SimConfig;
import io.farl.robot.sim.TaskId;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code farl bench sim}: runs every scripted demonstrator of the chosen tasks over consecutive seeds and reports
 * success, IR-failure, safe-reached and timeout rates with the simulator's speed in control steps per second.
 * Exit code 1 when a demonstrator misses its acceptance rate (expert ≥ 90% success without IR failure, failure
 * generator ≥ 50% IR failures, recovery ≥ 90% safe without failure).
 */
@Command(name = "sim", mixinStandardHelpOptions = true,
        description = "Demonstrator success/failure rates and simulator speed per task (table + JSON).")
final class SimBenchCommand implements Callable<Integer> {

    @Option(names = "--tasks", defaultValue = "all", description = "Comma-separated task names or 'all'.")
    String tasks;

    @Option(names = "--kinds", defaultValue = "all", description = "Comma-separated expert,failure,recovery or 'all'.")
    String kinds;

    @Option(names = "--episodes", defaultValue = "100", description = "Episodes (seeds) per task and kind.")
    int episodes;

    @Option(names = "--seed", defaultValue = "0", description = "First seed.")
    long seed;

    @Option(names = "--json", description = "Write the results here (default: runs/bench-sim.json).")
    Path json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (episodes <= 0) {
            throw new BadInputException("--episodes must be > 0, got " + episodes);
        }
        List<TaskId> taskList = Choices.tasks(tasks);
        List<DemoKind> kindList = Choices.kinds(kinds);
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "%-18s %-9s %8s %9s %9s %8s %10s %12s  %s%n", "task", "kind", "success", "irFailure",
                "safe", "timeout", "meanSteps", "steps/s", "target");
        List<SimBenchReport.Row> rows = new ArrayList<>();
        boolean allPass = true;
        for (TaskId task : taskList) {
            for (DemoKind kind : kindList) {
                DemoStats s = DemoEvaluation.evaluate(task, kind, seed, episodes, SimConfig.defaults());
                boolean pass = SimBenchReport.meetsTarget(s);
                allPass &= pass;
                out.printf(Locale.ROOT, "%-18s %-9s %7.1f%% %8.1f%% %8.1f%% %7.1f%% %10.1f %12.0f  %s%n",
                        task.cliName(), kind.cliName(), pct(s.successes(), s.episodes()),
                        pct(s.irFailures(), s.episodes()), pct(s.safeReached(), s.episodes()),
                        pct(s.timeouts(), s.episodes()), s.meanSteps(), s.controlStepsPerSecond(),
                        SimBenchReport.target(kind) + (pass ? " ok" : " MISSED"));
                out.flush();
                rows.add(new SimBenchReport.Row(task.cliName(), kind.cliName(), s.episodes(), seed, s.successes(),
                        s.irFailures(), s.safeReached(), s.timeouts(), s.meanSteps(), s.controlStepsPerSecond(),
                        pass));
            }
        }
        Path file = json != null ? json : Path.of("runs", "bench-sim.json");
        Json.write(file, new SimBenchReport("sim", System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), rows));
        out.println("wrote " + file);
        return allPass ? FarlCli.EXIT_OK : FarlCli.EXIT_RESULT_FAILED;
    }

    private static double pct(int n, int of) {
        return 100.0 * n / of;
    }
}
