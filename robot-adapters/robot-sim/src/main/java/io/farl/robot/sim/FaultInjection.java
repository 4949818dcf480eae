package io.farl.robot.sim;

/**
 * Seeded faults a {@link SimRobot} injects into its own I/O, to exercise the controller's fallbacks.
 *
 * @param seed               seed of the fault draws (independent of the episode seed)
 * @param addedLatencyNanos  every observation is delivered this late: its stamp is this much older than the
 *                           simulated time at which {@code read} returns it
 * @param dropProbability    chance that a {@code read} gets no new sample (the previous one stays latest)
 * @param staleProbability   chance that a delivered sample carries a stamp two control periods older still
 * @param nanProbability     chance that a delivered sample contains NaN ({@code read} returns FAULT)
 * @param refuseProbability  chance that {@code write} refuses a command (REFUSED, nothing applied)
 */
public record FaultInjection(long seed, long addedLatencyNanos, double dropProbability, double staleProbability,
        double nanProbability, double refuseProbability) {

    public FaultInjection {
        if (addedLatencyNanos < 0) {
            throw new IllegalArgumentException("addedLatencyNanos must be >= 0, got " + addedLatencyNanos);
        }
        checkProbability("dropProbability", dropProbability);
        checkProbability("staleProbability", staleProbability);
        checkProbability("nanProbability", nanProbability);
        checkProbability("refuseProbability", refuseProbability);
    }

    private static void checkProbability(String name, double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1], got " + p);
        }
    }

    /** No faults at all. */
    public static FaultInjection none() {
        return new FaultInjection(0, 0, 0, 0, 0, 0);
    }
}
