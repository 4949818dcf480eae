package io.farl.launch;

import io.farl.controller.session.SessionMethod;
import io.farl.pipeline.Json;
import io.farl.pipeline.bench.GateEffect;
import io.farl.pipeline.learn.ModelBundle;
import io.farl.pipeline.online.GateHandback;
import io.farl.pipeline.online.InitModels;
import io.farl.pipeline.online.OnlineRun;
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

    @Option(names = "--min-recovery-steps", description = "Recovery steps before the gate may hand the arm back to "
            + "the task policy. Default: " + OnlineRun.MIN_RECOVERY_STEPS + ".")
    Integer minRecoverySteps;

    @Option(names = "--release-margin", description = "Hand back once the task action's C_H is below "
            + "eps_safe * (1 - this fraction). Default: 0.1.")
    Double releaseMargin;

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
        GateHandback handback;
        try {
            handback = new GateHandback(minRecoverySteps == null ? GateHandback.DEFAULT.minRecoverySteps()
                    : minRecoverySteps, releaseMargin == null ? GateHandback.DEFAULT.releaseMarginFraction()
                    : releaseMargin);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--min-recovery-steps / --release-margin: " + e.getMessage(), e);
        }
        GateEffect e = GateEffect.measure(models, t, m, seed, steps, handback);
        String suffix = handback.equals(GateHandback.DEFAULT) ? "" : String.format(Locale.ROOT, "-handback%d-%.2f",
                handback.minRecoverySteps(), handback.releaseMarginFraction());
        Path report = new ModelBundle(this.models).reports().resolve("gate-effect-" + m.cliName() + "-seed" + seed
                + suffix + ".json");
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
        out.println("  gated run: " + e.gatedLeadUp().describe());
        out.printf(Locale.ROOT, "  successes: %d gated, %d ungated; untouched episodes that differ: %d%n",
                e.gatedSuccesses(), e.ungatedSuccesses(), e.untouchedMismatches());
        out.println("wrote " + report);
        return FarlCli.EXIT_OK;
    }
}
