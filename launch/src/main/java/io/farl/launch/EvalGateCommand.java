package io.farl.launch;

import io.farl.controller.session.SessionMethod;
import io.farl.pipeline.Json;
import io.farl.pipeline.bench.GateEffect;
import io.farl.pipeline.learn.ModelBundle;
import io.farl.pipeline.online.InitModels;
import io.farl.robot.sim.TaskId;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code farl eval-gate}: the gate's own effect on paired episodes of the frozen pretrained task policy, with and
 * without the gate ({@link GateEffect}).
 */
@Command(name = "eval-gate", mixinStandardHelpOptions = true,
        description = "Run the pretrained task policy (no learning) through the gate and without it on the same "
                + "layouts with the same exploration noise, pair the episodes, and count the failures the gate "
                + "prevented and caused. Writes MODELS/reports/gate-effect-<method>-seed<S>.json.")
final class EvalGateCommand implements Callable<Integer> {

    @Option(names = "--models", required = true, description = "Models directory of the task (calibrated).")
    Path models;

    @Option(names = "--task", required = true, description = "FailureBench task.")
    String task;

    @Option(names = "--steps", defaultValue = "20000", description = "Steps of each side. Default: ${DEFAULT-VALUE}.")
    long steps;

    @Option(names = "--seed", defaultValue = "0", description = "Session seed (layouts, noise). Default: "
            + "${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--method", defaultValue = "farl", description = "Gated method: farl, farl-filter or farl-hold. "
            + "Default: ${DEFAULT-VALUE}.")
    String method;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (steps <= 0 || seed < 0) {
            throw new BadInputException("--steps must be > 0 and --seed >= 0, got " + steps + ", " + seed);
        }
        SessionMethod m;
        try {
            m = SessionMethod.parse(method);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--method: " + e.getMessage(), e);
        }
        if (!m.gated()) {
            throw new BadInputException("--method must be a gated method (farl, farl-filter, farl-hold), got '"
                    + method + "'");
        }
        TaskId t = Choices.tasks(task).get(0);
        InitModels models = InitModels.load(this.models);
        GateEffect e = GateEffect.measure(models, t, m, seed, steps);
        Path report = new ModelBundle(this.models).reports().resolve("gate-effect-" + m.cliName() + "-seed" + seed
                + ".json");
        Json.write(report, e);
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "%s, %s against the ungated loop, frozen task policy, %d paired episodes (seed %d):%n",
                t.cliName(), m.cliName(), e.pairs(), seed);
        out.printf(Locale.ROOT, "  IR-failure episodes: %d gated (%d steps), %d ungated (%d steps); ratio %.3g "
                + "[%.3g, %.3g]%n", e.gatedFailures(), e.gatedSteps(), e.ungatedFailures(), e.ungatedSteps(),
                e.ratio().ratio(), e.ratio().ci95().lo(), e.ratio().ci95().hi());
        out.printf(Locale.ROOT, "  where the gate intervened (%d episodes, %.1f%% of steps overridden): %d failures "
                + "prevented, %d caused (sign test p = %.3g), %d not prevented%n", e.intervened(),
                100 * e.overrideRate(), e.prevented(), e.caused(), e.signTestP(), e.failedDespite());
        out.printf(Locale.ROOT, "  failures in episodes the gate never touched: %d%n", e.missed());
        out.printf(Locale.ROOT, "  successes: %d gated, %d ungated; untouched episodes that differ: %d%n",
                e.gatedSuccesses(), e.ungatedSuccesses(), e.untouchedMismatches());
        out.println("wrote " + report);
        return FarlCli.EXIT_OK;
    }
}
