package io.farl.robot.ros1.node;

/** A ROS 1 master or slave call that failed: unreachable, timed out, or answered with an error code. */
public class Ros1Exception extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public Ros1Exception(String message) {
        super(message);
    }

    public Ros1Exception(String message, Throwable cause) {
        super(message, cause);
    }
}
