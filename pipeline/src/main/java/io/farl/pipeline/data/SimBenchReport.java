package io.farl.pipeline.data;

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
