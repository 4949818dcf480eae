package io.farl.controller.remote;

/**
 * How the controller uses a remote inference server.
 *
 * @param deadlineNanos          how long the policy thread waits for a reply, from sending the request; the rest of
 *                               the control period is left for the fallback. > 0
 * @param fallback               what stands in for a missing remote decision
 * @param failureRatePercent     circuit breaker: failure rate (misses, refusals, bad replies) over the sliding
 *                               window at which the circuit opens, 1..100
 * @param slidingWindowCalls     circuit breaker: calls in the count-based sliding window, >= 1
 * @param minimumCalls           circuit breaker: calls before the failure rate is judged, 1..slidingWindowCalls
 * @param openNanos              circuit breaker: how long the circuit stays open before half-open trial calls, > 0
 * @param halfOpenCalls          circuit breaker: trial calls in half-open, >= 1
 * @param maxInFlight            bulkhead: requests awaiting a reply at once, >= 1
 */
public record RemoteSettings(long deadlineNanos, Fallback fallback, int failureRatePercent, int slidingWindowCalls,
        int minimumCalls, long openNanos, int halfOpenCalls, int maxInFlight) {

    /** What the controller does when the remote decision is missing (deadline, open circuit, refusal). */
    public enum Fallback {
        /** The local recovery policy with its C_H from the local world model; the task action counts as unsafe. */
        RECOVERY,
        /** The whole decision on the local CPU copy of the models (task policy, C_H, recovery). */
        LOCAL,
        /** No proposal: the loop holds at its deadline, and stops when the hold outlasts its limit. */
        HOLD;

        public static Fallback parse(String s) {
            for (Fallback f : values()) {
                if (f.name().equalsIgnoreCase(s)) {
                    return f;
                }
            }
            throw new IllegalArgumentException("fallback must be recovery, local or hold, got " + s);
        }
    }

    public RemoteSettings {
        if (deadlineNanos <= 0 || fallback == null) {
            throw new IllegalArgumentException("deadlineNanos must be > 0 and fallback given");
        }
        if (failureRatePercent < 1 || failureRatePercent > 100 || slidingWindowCalls < 1 || minimumCalls < 1
                || minimumCalls > slidingWindowCalls || openNanos <= 0 || halfOpenCalls < 1 || maxInFlight < 1) {
            throw new IllegalArgumentException("circuit breaker and bulkhead settings out of range: " + this);
        }
    }

    /**
     * Defaults for a control period: deadline 60 % of the period, the local recovery fallback, the circuit opening at
     * 50 % failures over 20 calls (10 at least) for 2 s, 3 trial calls, one request in flight.
     */
    public static RemoteSettings forPeriod(long controlPeriodNanos) {
        return new RemoteSettings(controlPeriodNanos * 6 / 10, Fallback.RECOVERY, 50, 20, 10, 2_000_000_000L, 3, 1);
    }

    public RemoteSettings withDeadline(long nanos) {
        return new RemoteSettings(nanos, fallback, failureRatePercent, slidingWindowCalls, minimumCalls, openNanos,
                halfOpenCalls, maxInFlight);
    }

    public RemoteSettings withFallback(Fallback f) {
        return new RemoteSettings(deadlineNanos, f, failureRatePercent, slidingWindowCalls, minimumCalls, openNanos,
                halfOpenCalls, maxInFlight);
    }

    public RemoteSettings withBreaker(int failureRate, int window, int minimum, long openFor, int trials) {
        return new RemoteSettings(deadlineNanos, fallback, failureRate, window, minimum, openFor, trials, maxInFlight);
    }
}
