package io.farl.robot.mqtt;

/**
 * An e-stop message after validation.
 *
 * @param engaged    true to latch the stop, false when an operator clears it
 * @param stampNanos sender's monotonic time
 * @param reason     free text for the operator
 */
public record EStopSignal(boolean engaged, long stampNanos, String reason) {
}
