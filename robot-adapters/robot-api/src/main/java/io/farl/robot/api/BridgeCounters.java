package io.farl.robot.api;

/**
 * What a {@link RobotBridge} did, for its report (the same record for every transport).
 *
 * @param commandsReceived       command messages that arrived
 * @param commandsExecuted       distinct commands applied to the robot at least once
 * @param commandsExpiredDropped commands dropped because their expiry had passed when the bridge took them
 * @param commandsStaleDropped   commands dropped because they were stamped before the latest episode reset
 * @param commandsSuperseded     commands replaced by a newer one before a control tick took them (two arrived in
 *                               one period: the controller's and the bridge's clocks are not in phase)
 * @param executedAfterExpiry    applications of a command after its expiry (must stay 0)
 * @param deadmanStops           times the arm was stopped because no valid command was in force any more
 * @param stepsApplied           control ticks that applied a command (the robot stands still on the others)
 * @param episodes               episodes ended (success, IR failure or time limit)
 * @param irFailures             episodes ended by an IR failure
 * @param successes              episodes ended by success
 * @param overruns               control ticks that ended after the next deadline
 */
public record BridgeCounters(long commandsReceived, long commandsExecuted, long commandsExpiredDropped,
        long commandsStaleDropped, long commandsSuperseded, long executedAfterExpiry, long deadmanStops, long stepsApplied, long episodes,
        long irFailures, long successes, long overruns) {
}
