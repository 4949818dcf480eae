package io.farl.robot.ros1.msg;

/** A ROS message or TCPROS frame that cannot be decoded; the message says what and where. */
public class RosDecodeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RosDecodeException(String message) {
        super(message);
    }
}
