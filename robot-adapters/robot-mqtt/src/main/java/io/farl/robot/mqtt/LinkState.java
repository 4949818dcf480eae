package io.farl.robot.mqtt;

/**
 * The robot's link status after validation.
 *
 * @param online     false for the last will (the bridge vanished) or an orderly shutdown
 * @param stampNanos bridge's monotonic time; 0 in the last will
 */
public record LinkState(boolean online, long stampNanos) {
}
