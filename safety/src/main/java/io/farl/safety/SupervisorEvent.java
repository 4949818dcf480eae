package io.farl.safety;

/**
 * A mode switch, an alarm, a counted fault, an error or an operator start, emitted by the {@link Supervisor} after
 * the fact and delivered to listeners off the control thread ({@link Supervisor#drainEvents()}).
 *
 * @param kind       what happened
 * @param stampNanos loop time of the step that caused it
 * @param from       mode before (equal to {@code to} when the mode did not change)
 * @param to         mode after
 * @param cause      why
 * @param error      the throwable of an {@link Kind#ERROR}, else null
 */
public record SupervisorEvent(Kind kind, long stampNanos, Mode from, Mode to, Cause cause, Throwable error) {

    public enum Kind {
        TRANSITION,
        ALARM,
        /** A fault was counted (the mode may or may not have changed; a TRANSITION follows when it did). */
        FAULT,
        /** A component threw during a step; {@link #error()} says what. */
        ERROR,
        /** The operator's start after a reset: motion may resume. */
        START
    }

    public SupervisorEvent(Kind kind, long stampNanos, Mode from, Mode to, Cause cause) {
        this(kind, stampNanos, from, to, cause, null);
    }
}
