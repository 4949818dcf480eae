package io.farl.pipeline.data;

import io.farl.robot.sim.DemoKind;
import io.farl.robot.sim.DemoStats;
import java.util.List;

/**
 * {@code bench-sim.json} of {@code farl bench sim}: the scripted demonstrators of each task and kind against their
 * targets, and the simulator's speed.
 *
 * @param benchmark           "sim"
 * @param javaVersion         of the JVM that ran it
 * @param availableProcessors of that JVM
 * @param rows                one per task and kind
 */
public record SimBenchReport(String benchmark, String javaVersion, int availableProcessors, List<Row> rows) {

    public SimBenchReport {
        rows = List.copyOf(rows);
    }

    /** The target a demonstrator kind must meet, in words. */
    public static String target(DemoKind kind) {
        return switch (kind) {
            case EXPERT -> "success>=90%";
            case FAILURE -> "irFailure>=50%";
            case RECOVERY -> "safe>=90%";
        };
    }

    /** Expert success ≥ 90%, failure generator IR failures ≥ 50%, recovery safe-reached ≥ 90%. */
    public static boolean meetsTarget(DemoStats s) {
        double n = s.episodes();
        return switch (s.kind()) {
            case EXPERT -> s.successes() / n >= 0.9;
            case FAILURE -> s.irFailures() / n >= 0.5;
            case RECOVERY -> s.safeReached() / n >= 0.9;
        };
    }

    /**
     * One demonstrator.
     *
     * @param controlStepsPerSecond simulated control steps per wall-clock second
     * @param meetsTarget           the kind's target was met (expert success, failure rate, safe-reached rate)
     */
    public record Row(String task, String kind, int episodes, long firstSeed, int successes, int irFailures,
            int safeReached, int timeouts, double meanSteps, double controlStepsPerSecond, boolean meetsTarget) {
    }
}
