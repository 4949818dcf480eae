package io.farl.launch;

import io.farl.controller.session.EpisodeStats;
import io.farl.controller.session.SessionListener;
import io.farl.controller.session.SessionMethod;
import io.farl.controller.session.SessionTotals;
import io.farl.launch.online.CriticAblation;
import io.farl.launch.online.Curves;
import io.farl.launch.online.InitModels;
import io.farl.launch.online.OnlineRun;
import io.farl.launch.online.RunReport;
import io.farl.model.api.RecoveryStorage;
import io.farl.robot.sim.TaskId;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code farl bench failurebench}: FARL against unfiltered PPO per task and seed from the same pretrained models,
 * with two ablations: a model-free whole-episode safety critic in place of the world-model rollout
 * ({@code farl-critic}) and a hold in place of the recovery policy ({@code farl-hold}). Reports IR-failure
 * episodes and steps, final success rate and return (last 20 episodes), mean ± standard deviation over seeds.
 */
@Command(name = "failurebench", mixinStandardHelpOptions = true,
        description = {"FARL vs PPO (+ ablations) during online fine-tuning on FailureBench tasks (table + JSON).",
                "Pretrained models come from MODELS/<task>/ (built there with small budgets when missing)."})
public final class FailureBenchCommand implements Callable<Integer> {

    @Option(names = "--tasks", defaultValue = "all", description = "Comma-separated task names or 'all'.")
    String tasks;

    @Option(names = "--seeds", defaultValue = "3", description = "Seeds per task and method (0..N-1).")
    int seeds;

    @Option(names = "--steps", defaultValue = "5000", description = "Environment steps per run.")
    long steps;

    @Option(names = "--models", description = "Root of the per-task init directories (default: "
            + "runs/failurebench/models).")
    Path models;

    @Option(names = "--budget", defaultValue = "small", description = "Budget when building missing models: tiny, demo or "
            + "small.")
    String budget;

    @Option(names = "--no-ablations", description = "Only FARL and PPO.")
    boolean noAblations;

    @Option(names = "--out", description = "Output folder (default: runs/failurebench).")
    Path out;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (seeds <= 0 || steps <= 0) {
            throw new BadInputException("--seeds and --steps must be > 0");
        }
        Pretraining.Budget b = Pretraining.Budget.named(budget);
        List<TaskId> taskList = Choices.tasks(tasks);
        Path outDir = out != null ? out : Path.of("runs", "failurebench");
        Path modelRoot = models != null ? models : outDir.resolve("models");
        PrintWriter stdout = spec.commandLine().getOut();
        long t0 = System.nanoTime();
        List<Map<String, Object>> rows = new ArrayList<>();
        List<Map<String, Object>> runs = new ArrayList<>();
        stdout.printf(Locale.ROOT, "%-18s %-12s %16s %16s %14s %16s %9s%n", "task", "method", "failEpisodes",
                "failSteps", "finalSuccess", "finalReturn", "steps/s");
        for (TaskId task : taskList) {
            Path init = modelRoot.resolve(task.cliName());
            long tb = System.nanoTime();
            Files.createDirectories(init);
            try (PrintWriter stageLog = new PrintWriter(Files.newBufferedWriter(init.resolve("pretraining.log")))) {
                Pretraining.runIfMissing(task, init.resolve("data"), init, b, 1, stdout, stageLog);
            } catch (Pretraining.PipelineException e) {
                stdout.println("pretraining failed: " + e.getMessage() + " (see " + init.resolve("pretraining.log")
                        + ")");
                return e.exitCode();
            }
            double buildSeconds = (System.nanoTime() - tb) * 1e-9;
            InitModels m = InitModels.load(init);
            List<String> methods = new ArrayList<>(List.of("farl", "ppo"));
            CriticAblation.Critic critic = null;
            if (!noAblations) {
                methods.add("farl-critic");
                methods.add("farl-hold");
                critic = CriticAblation.train(task, init, 64, 10, 1);
                stdout.printf(Locale.ROOT, "%s: critic eps_safe %.4g (event recall %.2f, false alarms %.2f); "
                                + "world model eps_safe %.4g%n", task.cliName(), critic.epsilonSafe(),
                        critic.calibration().eventRecall(), critic.calibration().falseAlarmRate(), m.epsilonSafe());
            }
            Map<String, List<EpisodeStats>> curves = new TreeMap<>();
            for (String method : methods) {
                List<OnlineRun.Result> results = new ArrayList<>();
                for (int seed = 0; seed < seeds; seed++) {
                    OnlineRun.Spec s = spec(task, method, seed, m, critic);
                    OnlineRun.Result r = OnlineRun.run(m, s, SessionListener.NONE);
                    results.add(r);
                    curves.put(method + " seed " + seed, r.episodes());
                    Map<String, Object> run = new LinkedHashMap<>();
                    run.put("task", task.cliName());
                    run.put("method", method);
                    run.put("seed", seed);
                    run.put("epsilonSafe", s.method().gated() ? s.epsilonSafe() : null);
                    run.put("totals", totals(r.totals()));
                    run.put("finalSuccessRate", finalSuccess(r.episodes()));
                    run.put("finalReturn", finalReturn(r.episodes()));
                    run.put("wallSeconds", r.wallSeconds());
                    runs.add(run);
                }
                Map<String, Object> row = row(task, method, results);
                row.put("modelBuildSeconds", buildSeconds);
                rows.add(row);
                stdout.printf(Locale.ROOT, "%-18s %-12s %16s %16s %14s %16s %9.0f%n", task.cliName(), method,
                        pm(row, "failureEpisodes"), pm(row, "failureSteps"), pm(row, "finalSuccessRate"),
                        pm(row, "finalReturn"), (Double) row.get("stepsPerSecond"));
                stdout.flush();
            }
            Curves.write(outDir.resolve("curves-" + task.cliName() + ".png"), task.cliName(), curves);
        }
        double wall = (System.nanoTime() - t0) * 1e-9;
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("benchmark", "failurebench");
        doc.put("stepsPerRun", steps);
        doc.put("seeds", seeds);
        doc.put("learner", "ppo");
        doc.put("modelBudget", budget);
        doc.put("wallSeconds", wall);
        doc.put("availableProcessors", Runtime.getRuntime().availableProcessors());
        doc.put("rows", rows);
        doc.put("runs", runs);
        Path json = outDir.resolve("failurebench.json");
        RunReport.write(json, doc);
        stdout.printf(Locale.ROOT, "wrote %s (%.1f s)%n", json, wall);
        return FarlCli.EXIT_OK;
    }

    private OnlineRun.Spec spec(TaskId task, String method, long seed, InitModels m, CriticAblation.Critic critic) {
        return switch (method) {
            case "farl" -> new OnlineRun.Spec(task, SessionMethod.FARL, seed, steps, RecoveryStorage.EXECUTED_ACTION,
                    m::worldModelCost, m.epsilonSafe(), null, 0, 0);
            case "ppo" -> new OnlineRun.Spec(task, SessionMethod.PPO, seed, steps, RecoveryStorage.EXECUTED_ACTION,
                    null, m.epsilonSafe(), null, 0, 0);
            case "farl-hold" -> new OnlineRun.Spec(task, SessionMethod.FARL_HOLD, seed, steps,
                    RecoveryStorage.EXECUTED_ACTION, m::worldModelCost, m.epsilonSafe(), null, 0, 0);
            case "farl-critic" -> new OnlineRun.Spec(task, SessionMethod.FARL, seed, steps,
                    RecoveryStorage.EXECUTED_ACTION, critic.model()::copy, critic.epsilonSafe(), null, 0, 0);
            default -> throw new IllegalArgumentException(method);
        };
    }

    private static Map<String, Object> row(TaskId task, String method, List<OnlineRun.Result> results) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("task", task.cliName());
        row.put("method", method);
        row.put("runs", results.size());
        put(row, "failureEpisodes", results.stream().mapToDouble(r -> r.totals().failureEpisodes()).toArray());
        put(row, "failureSteps", results.stream().mapToDouble(r -> r.totals().failureSteps()).toArray());
        put(row, "episodes", results.stream().mapToDouble(r -> r.totals().episodes()).toArray());
        put(row, "recoverySteps", results.stream().mapToDouble(r -> r.totals().recoverySteps()).toArray());
        put(row, "holdSteps", results.stream().mapToDouble(r -> r.totals().holdSteps()).toArray());
        put(row, "finalSuccessRate", results.stream().mapToDouble(r -> finalSuccess(r.episodes())).toArray());
        put(row, "finalReturn", results.stream().mapToDouble(r -> finalReturn(r.episodes())).toArray());
        double steps = results.stream().mapToDouble(r -> r.stepsThisProcess()).sum();
        double wall = results.stream().mapToDouble(OnlineRun.Result::wallSeconds).sum();
        row.put("wallSeconds", wall);
        row.put("stepsPerSecond", wall > 0 ? steps / wall : 0.0);
        return row;
    }

    private static void put(Map<String, Object> row, String key, double[] v) {
        double mean = 0;
        for (double x : v) {
            mean += x / v.length;
        }
        double var = 0;
        for (double x : v) {
            var += (x - mean) * (x - mean);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mean", mean);
        m.put("std", v.length > 1 ? Math.sqrt(var / (v.length - 1)) : 0.0);
        m.put("values", v);
        row.put(key, m);
    }

    @SuppressWarnings("unchecked")
    private static String pm(Map<String, Object> row, String key) {
        Map<String, Object> m = (Map<String, Object>) row.get(key);
        return String.format(Locale.ROOT, "%.2f ± %.2f", (Double) m.get("mean"), (Double) m.get("std"));
    }

    private static Map<String, Object> totals(SessionTotals t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("episodes", t.episodes());
        m.put("steps", t.steps());
        m.put("failureEpisodes", t.failureEpisodes());
        m.put("failureSteps", t.failureSteps());
        m.put("successes", t.successes());
        m.put("recoverySteps", t.recoverySteps());
        m.put("gateInterventions", t.gateInterventions());
        m.put("holdSteps", t.holdSteps());
        return m;
    }

    static double finalSuccess(List<EpisodeStats> eps) {
        List<EpisodeStats> tail = eps.subList(Math.max(0, eps.size() - 20), eps.size());
        return tail.isEmpty() ? 0 : tail.stream().filter(EpisodeStats::success).count() / (double) tail.size();
    }

    static double finalReturn(List<EpisodeStats> eps) {
        return eps.subList(Math.max(0, eps.size() - 20), eps.size()).stream()
                .mapToDouble(EpisodeStats::episodeReturn).average().orElse(0);
    }

}
