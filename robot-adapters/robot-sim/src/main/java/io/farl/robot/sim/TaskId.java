package io.farl.robot.sim;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The five FailureBench tasks, named on the command line by {@link #cliName()}. */
public enum TaskId {
    /** Push a puck to a target near the edge of a boundary rectangle; the puck leaving the boundary is a failure. */
    BOUNDED_PUSH("bounded-push"),
    /** Roll a ball into a goal; the ball leaving the boundary anywhere but through the goal mouth is a failure. */
    BOUNDED_SOCCER("bounded-soccer"),
    /** Push a fragile block around a wall to a target behind it; the block touching the wall is a failure. */
    FRAGILE_PUSH_WALL("fragile-push-wall"),
    /** Push a block past a fragile vase to a goal; the hand or the block touching the vase is a failure. */
    OBSTRUCTED_PUSH("obstructed-push"),
    /** Push a block to a goal while an obstacle wanders at random; touching the obstacle is a failure. */
    DISTURBED_PUSH("disturbed-push");

    private final String cliName;

    TaskId(String cliName) {
        this.cliName = cliName;
    }

    /** Lower-case, dash-separated name used on the command line and in file names. */
    public String cliName() {
        return cliName;
    }

    /**
     * The task with this command-line name.
     *
     * @throws IllegalArgumentException naming the valid names when none matches
     */
    public static TaskId parse(String cliName) {
        for (TaskId t : values()) {
            if (t.cliName.equals(cliName)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown task '" + cliName + "', expected one of "
                + Arrays.stream(values()).map(TaskId::cliName).collect(Collectors.joining(", ")));
    }
}
