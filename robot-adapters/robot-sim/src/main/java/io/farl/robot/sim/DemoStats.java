package io.farl.robot.sim;

/**
 * Aggregate outcome of running one scripted demonstrator over consecutive seeds.
 *
 * @param task                  task run
 * @param kind                  demonstrator kind
 * @param episodes              episodes run
 * @param successes             episodes that ended in success (task goal, or safe state held for recovery)
 * @param irFailures            episodes that ended in an IR failure
 * @param safeReached           episodes in which at least one step was safe after the first step
 * @param timeouts              episodes truncated at the step limit
 * @param meanSteps             mean control steps per episode
 * @param controlStepsPerSecond control steps simulated per second of wall time (a throughput figure only)
 */
public record DemoStats(TaskId task, DemoKind kind, int episodes, int successes, int irFailures, int safeReached,
        int timeouts, double meanSteps, double controlStepsPerSecond) {

    public double successRate() {
        return episodes == 0 ? 0 : (double) successes / episodes;
    }

    public double irFailureRate() {
        return episodes == 0 ? 0 : (double) irFailures / episodes;
    }

    public double safeReachedRate() {
        return episodes == 0 ? 0 : (double) safeReached / episodes;
    }

    public double timeoutRate() {
        return episodes == 0 ? 0 : (double) timeouts / episodes;
    }
}
