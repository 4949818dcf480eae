package io.farl.launch;

import io.farl.pipeline.data.AlarmRecovery;
import io.farl.pipeline.data.PolicyActor;
import io.farl.pipeline.Json;
import io.farl.pipeline.learn.ModelBundle;
import io.farl.pipeline.online.InitModels;
import io.farl.model.api.Policy;
import io.farl.robot.sim.SimConfig;
import io.farl.robot.sim.TaskId;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code farl eval-recovery}: how often the recovery policy gets out of the states where the calibrated gate alarms on
 * the task policy, next to the scripted recovery demonstrator from the same states.
 */
@Command(name = "eval-recovery", mixinStandardHelpOptions = true,
        description = "Roll out the task policy until the calibrated gate alarms, hand over to the recovery policy "
                + "(and, for reference, the scripted recovery), count safe states reached, IR failures, time-outs.")
final class EvalRecoveryCommand implements Callable<Integer> {

    /** First rollout seed: away from demonstrations (0..), policy rollouts (500000..) and online episodes. */
    static final long DEFAULT_SEED = 700_000L;

    @Option(names = "--models", required = true, description = "Models directory of the task (calibrated).")
    Path models;

    @Option(names = "--task", required = true, description = "FailureBench task.")
    String task;

    @Option(names = "--rollouts", defaultValue = "100", description = "Task-policy rollouts.")
    int rollouts;

    @Option(names = "--seed", defaultValue = "" + DEFAULT_SEED, description = "Seed of the first rollout.")
    long seed;

    @Option(names = "--min-safe", defaultValue = "0.95",
            description = "Goal for the recovery policy's safe-reached rate; exit 1 when missed.")
    double minSafe;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** What {@code reports/recovery-from-alarms.json} holds. */
    record Report(String task, long firstSeed, double epsilonSafe, AlarmRecovery.Outcomes recoveryPolicy,
            AlarmRecovery.Outcomes behaviourCloned, AlarmRecovery.Outcomes scripted, double minSafe, boolean goalMet) {
    }

    @Override
    public Integer call() throws Exception {
        if (rollouts <= 0) {
            throw new BadInputException("--rollouts must be > 0, got " + rollouts);
        }
        TaskId t = Choices.tasks(task).get(0);
        InitModels m = InitModels.load(models);
        PrintWriter out = spec.commandLine().getOut();
        Policy rec = m.recoveryPolicy();
        AlarmRecovery.RecoveryActor learned = (s, env) -> PolicyActor.of(rec, true);
        AlarmRecovery.Outcomes policy = AlarmRecovery.evaluate(SimConfig.defaults(), t,
                s -> PolicyActor.of(m.taskPolicy(s), false), learned, m.worldModelCost(), m.epsilonSafe(), rollouts, seed);
        // the behaviour-cloned version before the recovery policy's offline improvement, from the same states
        Optional<Policy> bcPolicy = InitModels.recoveryBeforeImprovement(models);
        AlarmRecovery.Outcomes bc = bcPolicy.isEmpty() ? null : AlarmRecovery.evaluate(SimConfig.defaults(), t,
                s -> PolicyActor.of(m.taskPolicy(s), false), (s, env) -> PolicyActor.of(bcPolicy.get(), true),
                m.worldModelCost(), m.epsilonSafe(), rollouts, seed);
        AlarmRecovery.Outcomes scripted = AlarmRecovery.evaluate(SimConfig.defaults(), t,
                s -> PolicyActor.of(m.taskPolicy(s), false), AlarmRecovery.scriptedRecovery(t), m.worldModelCost(),
                m.epsilonSafe(), rollouts, seed);
        out.printf(Locale.ROOT, "recovery from the gate's alarmed states, %s, %d task-policy rollouts from seed %d:%n",
                t.cliName(), rollouts, seed);
        out.printf(Locale.ROOT, "%-16s %8s %12s %12s %9s %9s %18s%n", "actor", "alarmed", "safe reached", "IR failure",
                "time-out", "safe %", "missed (no alarm)");
        row(out, "recovery policy", policy);
        if (bc != null) {
            row(out, "  before improv.", bc);
        }
        row(out, "scripted", scripted);
        boolean met = policy.alarmed() > 0 && policy.safeReachedRate() >= minSafe;
        ModelBundle bundle = new ModelBundle(models);
        Json.write(bundle.reports().resolve("recovery-from-alarms.json"), new Report(t.cliName(), seed,
                m.epsilonSafe(), policy, bc, scripted, minSafe, met));
        out.printf(Locale.ROOT, "goal: recovery policy safe from >= %.0f%% of alarmed states: %s%n", 100 * minSafe,
                met ? "met" : "MISSED");
        return met ? FarlCli.EXIT_OK : FarlCli.EXIT_RESULT_FAILED;
    }

    private static void row(PrintWriter out, String name, AlarmRecovery.Outcomes o) {
        out.printf(Locale.ROOT, "%-16s %8d %12d %12d %9d %8.1f%% %18d%n", name, o.alarmed(), o.safeReached(),
                o.failures(), o.timeouts(), 100 * o.safeReachedRate(), o.failedBeforeAlarm());
    }
}
