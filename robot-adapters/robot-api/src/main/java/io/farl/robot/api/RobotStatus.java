package io.farl.robot.api;

/**
 * What a {@code read} or {@code write} actually did. Errors travel as status values to the loop owner,
 * which decides on a fallback; adapters never throw from {@code read}/{@code write} for transport faults.
 */
public enum RobotStatus {
    /** Done as asked. */
    OK,
    /** No observation has arrived yet since activation. */
    NO_DATA,
    /** The newest observation is older than the adapter's freshness limit. */
    STALE,
    /** The observation or command is malformed (non-finite value, wrong size); nothing was used. */
    FAULT,
    /** The robot refused the command (e.g. its own controller is in an error state). */
    REFUSED,
    /** The command arrived after its expiry time ({@link Command#expiresAtNanos()}); nothing was executed. */
    EXPIRED,
    /** Called outside the ACTIVE state. */
    NOT_ACTIVE,
    /**
     * The link to the robot is down (a broker outage): the command was not sent. The robot side's deadman stops the
     * arm; the controller holds as for a stale observation, and latches STOPPED only after its configured hold time.
     */
    LINK_DOWN;

    public boolean ok() {
        return this == OK;
    }
}
