package io.farl.launch;

import com.fasterxml.jackson.databind.JsonNode;
import io.farl.launch.learn.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code farl demo}: the whole FARL pipeline on the embedded default (in-process simulator, in-process learning,
 * no broker, no GPU), each stage being the same verb a user would run by hand: collect demonstrations, inspect
 * them, train the world model and both policies, calibrate ε_safe, evaluate the policies, fine-tune online with
 * FARL and with plain PPO from the same models and seeds, and compare IR failures. Sized to finish in a few
 * minutes on two cores.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the whole pipeline on one task in-process: collect, inspect, train, calibrate, "
                + "fine-tune FARL and PPO, compare.")
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--task", defaultValue = "bounded-push", description = "FailureBench task.")
    String task;

    @Option(names = "--out", defaultValue = "runs/demo", description = "Where data, models and plots go.")
    Path out;

    @Option(names = "--episodes", defaultValue = "100", description = "Demonstrations per kind.")
    int episodes;

    @Option(names = "--steps", defaultValue = "6000", description = "Online steps per method.")
    long steps;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of collection, training and fine-tuning.")
    long seed;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private Pretraining.Budget budget() {
        Pretraining.Budget d = Pretraining.Budget.demo();
        return new Pretraining.Budget(episodes, d.actionNoise(), d.worldModelSize(), d.worldModelEpochs(),
                d.worldModelSteps(), d.bcEpochs(), d.improveSteps(), d.criticEpochs());
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter console = spec.commandLine().getOut();
        String t = Choices.tasks(task).get(0).cliName();
        if (episodes < 10 || steps < 500) {
            throw new BadInputException("--episodes must be >= 10 and --steps >= 500");
        }
        console.println("farl demo: offline FARL pipeline on " + t + ", then online fine-tuning with FARL and with "
                + "plain PPO from the same models; everything under " + out);
        Path data = out.resolve("data");
        Path models = out.resolve("models");
        Path plots = out.resolve("plots");
        Path online = out.resolve("online");
        long t0 = System.nanoTime();
        try {
            Pretraining.run(Choices.tasks(t).get(0), data, models, budget(), seed, console, console);
        } catch (Pretraining.PipelineException e) {
            console.println("demo stopped: " + e.getMessage());
            return e.exitCode();
        }
        List<String[]> stages = new ArrayList<>();
        stages.add(new String[] {"inspect", data.toString(), "--out", plots.toString()});
        stages.add(new String[] {"eval", "--models", models.toString(), "--task", t, "--episodes", "30"});
        for (String method : new String[] {"farl", "ppo"}) {
            stages.add(new String[] {"finetune", "--task", t, "--init", models.toString(), "--steps",
                Long.toString(steps), "--method", method, "--seed", Long.toString(seed), "--out", online.toString(),
                "--fresh", "--quiet"});
        }
        for (String[] stage : stages) {
            console.printf(Locale.ROOT, "%n== farl %s%n", String.join(" ", stage));
            console.flush();
            int rc = FarlCli.execute(stage);
            if (rc != FarlCli.EXIT_OK) {
                console.printf("demo stopped: 'farl %s' exited with %d%n", stage[0], rc);
                return rc;
            }
        }
        double minutes = (System.nanoTime() - t0) / 6e10;
        return compare(console, t, online, plots, models, minutes);
    }

    private int compare(PrintWriter console, String t, Path online, Path plots, Path models, double minutes)
            throws IOException {
        JsonNode farl = Json.mapper().readTree(online.resolve("finetune-farl-seed" + seed + ".json").toFile());
        JsonNode ppo = Json.mapper().readTree(online.resolve("finetune-ppo-seed" + seed + ".json").toFile());
        console.printf(Locale.ROOT, "%n== FARL vs PPO on %s, %d online steps each, same pretrained models and seeds%n",
                t, steps);
        console.printf(Locale.ROOT, "%-6s %9s %16s %13s %10s %14s %12s%n", "method", "episodes", "IR-fail episodes",
                "IR-fail steps", "successes", "final success", "final return");
        for (JsonNode r : new JsonNode[] {farl, ppo}) {
            JsonNode tot = r.get("totals");
            console.printf(Locale.ROOT, "%-6s %9d %16d %13d %10d %13.0f%% %12.2f%n", r.get("method").asText(),
                    tot.get("episodes").asInt(), tot.get("failureEpisodes").asInt(), tot.get("failureSteps").asInt(),
                    tot.get("successes").asInt(), 100 * r.get("final").get("successRate").asDouble(),
                    r.get("final").get("meanReturn").asDouble());
        }
        int f = farl.get("totals").get("failureEpisodes").asInt();
        int p = ppo.get("totals").get("failureEpisodes").asInt();
        if (p > 0 && f < p) {
            console.printf(Locale.ROOT, "FARL had %d IR-failure episodes against PPO's %d (%.0f%% fewer).%n", f, p,
                    100.0 * (p - f) / p);
        } else {
            console.printf(Locale.ROOT, "FARL did NOT reduce IR failures in this run: %d IR-failure episodes against "
                    + "PPO's %d. Short budgets and tiny models are noisy; see farl bench failurebench for seeds.%n", f,
                    p);
        }
        console.printf(Locale.ROOT, "plots: %s (demonstrations), %s (training, calibration), %s (online curves)%n",
                plots, models.resolve("reports"), online.resolve("curves.png"));
        console.printf(Locale.ROOT, "demo took %.1f minutes%n", minutes);
        return FarlCli.EXIT_OK;
    }
}
