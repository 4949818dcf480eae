package io.farl.robot.ros1.bridge;

import java.util.Locale;

/** Episode events on the bridge's event topic; the wire name is the lower-case constant name. */
public enum EpisodeEvent {
    /** A new episode started; its first state follows. */
    RESET,
    /** The episode ended with the task goal met. */
    SUCCESS,
    /** The episode ended with an intervention-requiring failure. */
    IR_FAILURE,
    /** The episode hit its time limit. */
    TRUNCATED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The event of a wire name; throws IllegalArgumentException for an unknown one. */
    public static EpisodeEvent parse(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
    }
}
