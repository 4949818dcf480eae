package io.farl.controller.deploy;

import io.farl.controller.loop.ProposalSource;
import io.farl.robot.api.Observation;
import io.farl.robot.api.RobotDescription;

/**
 * Runs the models a few times on a neutral observation before the control loop starts, so the first real proposals
 * do not pay for class loading, JIT compilation and the inference engine's first calls. Without it the loop holds
 * through that first second or two, and on a loaded machine the supervisor's hold limit latched STOPPED before
 * the first proposal arrived.
 */
public final class ProposalWarmup {
    private ProposalWarmup() {
    }

    /**
     * Calls {@code source} until {@code minCalls} calls were made and the latest took at most {@code targetNanos}, or
     * {@code maxCalls} were made. The observation is all zeros, stamped now.
     *
     * @return nanoseconds of the last call
     */
    public static long run(ProposalSource source, RobotDescription description, int minCalls, int maxCalls,
            long targetNanos) {
        if (minCalls < 1 || maxCalls < minCalls) {
            throw new IllegalArgumentException("need 1 <= minCalls <= maxCalls");
        }
        long last = Long.MAX_VALUE;
        for (int i = 0; i < maxCalls && (i < minCalls || last > targetNanos); i++) {
            long t0 = System.nanoTime();
            source.propose(new Observation(t0, -1 - i, new double[description.observationSize()]));
            last = System.nanoTime() - t0;
        }
        return last;
    }
}
