package io.farl.launch.console;

import io.farl.controller.console.ConsoleProbe;
import io.farl.controller.console.ConsoleSampler;
import io.farl.controller.deploy.EpisodeTally;
import io.farl.controller.loop.ControlLoop;
import io.farl.controller.loop.FixedRateRunner;
import io.farl.controller.runtime.ControllerRuntime;
import io.farl.safety.Cause;
import io.farl.safety.Limit;
import io.farl.safety.Mode;
import io.farl.safety.Supervisor;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * The Prometheus metrics of a running controller ({@code GET /metrics}), all named {@code farl_…}. Every meter is a
 * function of a counter the runtime already keeps: volatile or release-stored figures of the control thread (loop,
 * runner, supervisor, {@link ConsoleProbe}), the step stream as the recorder thread saw it ({@link ConsoleSampler})
 * and the episode tally. They are read when Prometheus scrapes, on the console's HTTP thread; nothing is recorded
 * on the control thread for them.
 */
public final class ConsoleMetrics {
    private static final double NANOS = 1e9;

    private ConsoleMetrics() {
    }

    /**
     * A registry with the meters of {@code session} over {@code runtime}.
     *
     * @param tally the run's episodes, or null where the command counts none
     */
    public static PrometheusMeterRegistry registry(ConsoleSession session, ControllerRuntime runtime,
            EpisodeTally tally) {
        PrometheusMeterRegistry r = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        loop(r, runtime.loop(), runtime.runner(), session.probe());
        runtime(r, runtime);
        modes(r, session.probe(), runtime.runner().periodNanos());
        stream(r, session.sampler());
        supervisor(r, runtime.loop().supervisor(), session);
        if (tally != null) {
            counter(r, "farl.episodes", tally, EpisodeTally::episodes, "episodes ended");
            counter(r, "farl.episode.successes", tally, EpisodeTally::successes, "episodes ended with success");
            counter(r, "farl.ir.failures", tally, EpisodeTally::irFailures,
                    "episodes ended with an IR failure (the task's failure predicate)");
        }
        return r;
    }

    private static void loop(MeterRegistry r, ControlLoop loop, FixedRateRunner runner, ConsoleProbe probe) {
        counter(r, "farl.loop.steps", loop, ControlLoop::steps, "control steps run");
        counter(r, "farl.loop.overruns", runner, FixedRateRunner::overruns,
                "cycles whose step ended after the following deadline");
        counter(r, "farl.loop.skipped.deadlines", runner, FixedRateRunner::skippedDeadlines,
                "deadlines dropped because a cycle woke a whole period or more late");
        counter(r, "farl.loop.missed.deadlines", runner, x -> x.overruns() + x.skippedDeadlines(),
                "overruns plus skipped deadlines (run.json's missedDeadlines)");
        Gauge.builder("farl.loop.max.lateness", runner, x -> x.maxLatenessNanos() / NANOS).baseUnit("seconds")
                .description("largest lateness of a wake-up after its deadline so far").register(r);
        FunctionTimer.builder("farl.loop.step.latency", probe, ConsoleProbe::steps, ConsoleProbe::latencySumNanos,
                TimeUnit.NANOSECONDS).description("control step latency: step start (read included) to command written")
                .register(r);
        Gauge.builder("farl.loop.step.latency.max", probe, p -> p.latencyMaxNanos() / NANOS).baseUnit("seconds")
                .description("largest control step latency so far").register(r);
        Gauge.builder("farl.loop.step.latency.last", probe, p -> p.latencyLastNanos() / NANOS).baseUnit("seconds")
                .description("latency of the latest control step").register(r);
        counter(r, "farl.loop.errors", loop, ControlLoop::loopErrors, "steps that threw (answered with a hold)");
        counter(r, "farl.robot.write.faults", loop, ControlLoop::writeFaults, "writes the robot refused");
        counter(r, "farl.robot.link.down.writes", loop, ControlLoop::linkDownWrites,
                "writes not sent because the robot link was down");
    }

    private static void runtime(MeterRegistry r, ControllerRuntime runtime) {
        counter(r, "farl.inference.errors", runtime, ControllerRuntime::inferenceErrors,
                "exceptions of the proposal source on the inference thread");
        counter(r, "farl.fallback.errors", runtime, ControllerRuntime::fallbackErrors,
                "exceptions of the local fallback recovery policy");
    }

    private static void modes(MeterRegistry r, ConsoleProbe probe, long periodNanos) {
        for (Mode m : Mode.values()) {
            FunctionCounter.builder("farl.mode.steps", probe, p -> p.steps(m)).tag("mode", m.name())
                    .description("control steps by the mode whose command was written").register(r);
            FunctionCounter.builder("farl.mode.time", probe, p -> p.steps(m) * (periodNanos / NANOS))
                    .tag("mode", m.name()).baseUnit("seconds")
                    .description("time under each mode: its steps times the control period").register(r);
            Gauge.builder("farl.mode", probe, p -> p.lastMode() == m ? 1 : 0).tag("mode", m.name())
                    .description("1 for the mode the latest step wrote").register(r);
        }
    }

    private static void stream(MeterRegistry r, ConsoleSampler sampler) {
        counter(r, "farl.fallback.steps", sampler, s -> s.steps(Cause.FALLBACK_RECOVERY),
                "steps driven by the local fallback recovery because the proposal missed its deadline");
        for (Cause c : Cause.values()) {
            FunctionCounter.builder("farl.cause.steps", sampler, s -> s.steps(c)).tag("cause", c.name())
                    .description("executed steps by the supervisor's cause").register(r);
        }
        for (Limit l : Limit.values()) {
            FunctionCounter.builder("farl.envelope.interventions", sampler, s -> s.interventions(l))
                    .tag("limit", l.name()).description("safety envelope interventions by limit").register(r);
        }
        counter(r, "farl.envelope.limited.steps", sampler, ConsoleSampler::limitedSteps,
                "steps whose requested command the envelope limited");
        Gauge.builder("farl.task.cost", sampler, ConsoleSampler::taskCost)
                .description("C_H of the task action in the latest step (NaN when no proposal acted)").register(r);
        Gauge.builder("farl.epsilon.safe", sampler, ConsoleSampler::epsilonSafe)
                .description("the gate's threshold on C_H").register(r);
        Gauge.builder("farl.policy.version", sampler, ConsoleSampler::policyVersion)
                .description("task policy version of the latest proposal that acted").register(r);
    }

    private static void supervisor(MeterRegistry r, Supervisor s, ConsoleSession session) {
        counter(r, "farl.alarms", s, Supervisor::alarms, "alarms raised (both actions above eps_safe)");
        counter(r, "farl.supervisor.faults", s, Supervisor::faults, "faults the supervisor counted");
        counter(r, "farl.supervisor.errors", s, Supervisor::errors, "exceptions and errors in control steps");
        counter(r, "farl.supervisor.transitions", s, Supervisor::transitions, "mode switches");
        Gauge.builder("farl.estop.engaged", session.controls(), c -> c.estopEngaged() ? 1 : 0)
                .description("1 while the software e-stop input is engaged").register(r);
    }

    private static <T> void counter(MeterRegistry r, String name, T source, ToDoubleFunction<T> f, String help) {
        FunctionCounter.builder(name, source, f).description(help).register(r);
    }
}
