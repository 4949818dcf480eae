package io.farl.safety;

/**
 * A mode switch or an alarm, emitted by the {@link Supervisor} after the fact.
 *
 * @param kind       transition or alarm
 * @param stampNanos loop time of the step that caused it
 * @param from       mode before (equal to {@code to} for an alarm)
 * @param to         mode after
 * @param cause      why
 */
public record SupervisorEvent(Kind kind, long stampNanos, Mode from, Mode to, Cause cause) {

    public enum Kind {
        TRANSITION,
        ALARM
    }
}
