package io.farl.robot.mqtt;

/**
 * Counters of the robot-side bridge.
 *
 * @param commandsReceived       well-formed commands that reached the bridge's control thread
 * @param commandsExecuted       commands handed to the arm (each before its expiry)
 * @param commandsExpiredDropped commands dropped because they arrived or were taken after their expiry
 * @param commandsRefused        commands refused for any other reason (out of order, e-stop latched)
 * @param commandsMalformed      payloads on the command topic that failed validation
 * @param deadmanStops           stops because the command in force expired or none arrived within the timeout
 * @param lastStopDelayNanos     at the latest deadman stop: time since the last accepted command, -1 before one
 */
public record BridgeCounters(long commandsReceived, long commandsExecuted, long commandsExpiredDropped,
        long commandsRefused, long commandsMalformed, long deadmanStops, long lastStopDelayNanos) {
}
