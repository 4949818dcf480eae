package io.farl.robot.mqtt;

import java.util.regex.Pattern;

/**
 * The MQTT topic layout of one robot id, {@code farl/v1/<robot>/…}; see {@code protocol/README.md} for QoS, retain
 * flags and payloads. Robot ids are 1..64 characters of {@code [A-Za-z0-9_-]}, so they never contain MQTT wildcards
 * or separators and an ACL pattern {@code farl/v1/%u/…} confines a robot user to its own topics.
 *
 * @param robot the robot id
 */
public record MqttTopics(String robot) {
    private static final Pattern ROBOT_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    /** Prefix of every topic of every robot. */
    public static final String ROOT = "farl/v1/";

    public MqttTopics {
        if (robot == null || !ROBOT_ID.matcher(robot).matches()) {
            throw new IllegalArgumentException("robot id must match [A-Za-z0-9_-]{1,64}, got " + robot);
        }
    }

    private String topic(String leaf) {
        return ROOT + robot + "/" + leaf;
    }

    /** Robot → controller, QoS 0, not retained, newest wins. */
    public String observation() {
        return topic("observation");
    }

    /** Controller → robot, QoS 0, not retained, with sequence and expiry. */
    public String command() {
        return topic("command");
    }

    /** Robot → controller, QoS 1, retained; the bridge's last will publishes OFFLINE here. */
    public String status() {
        return topic("status");
    }

    /** Controller → robot e-stop, QoS 1. */
    public String estopFromController() {
        return topic("estop/controller");
    }

    /** Robot → controller e-stop, QoS 1. */
    public String estopFromRobot() {
        return topic("estop/robot");
    }

    /** Controller → robot episode requests (RESET), QoS 1. */
    public String episodeFromController() {
        return topic("episode/controller");
    }

    /** Robot → controller episode events (RESET done, SUCCESS, FAILURE, TRUNCATED), QoS 1. */
    public String episodeFromRobot() {
        return topic("episode/robot");
    }

    /** Controller → inference server: {@code ProposalRequest}, QoS 0, with an MQTT v5 response topic. */
    public String inferenceRequest() {
        return topic("inference/request");
    }

    /** Inference server → controller: {@code ProposalReply}, QoS 0, the request's correlation data echoed. */
    public String inferenceReply() {
        return topic("inference/reply");
    }

    /** The inference requests of every robot (the server's subscription). */
    public static String allInferenceRequests() {
        return ROOT + "+/inference/request";
    }

    /** Robot → learner: {@code StepBatch}, QoS 1, not retained. */
    public String learnSteps() {
        return topic("learn/steps");
    }

    /** Learner → robot: {@code StepAck}, QoS 0, not retained (a lost one costs a resend). */
    public String learnAck() {
        return topic("learn/ack");
    }

    /** Learner → robot: {@code PolicyUpdate}, QoS 1, retained (the newest version). */
    public String learnPolicy() {
        return topic("learn/policy");
    }

    /** Learner → robot: {@code LearnControl} (rollback), QoS 1, not retained. */
    public String learnControl() {
        return topic("learn/control");
    }

    /** Robot → learner: {@code LearnStatus}, QoS 1, retained. */
    public String learnStatus() {
        return topic("learn/status");
    }

    /** Operator's device → controller: {@code TeleopCommand}, QoS 0, not retained. */
    public String teleopCommand() {
        return topic("teleop/command");
    }

    /** Operator's device → controller: {@code OperatorEvent}, QoS 1, not retained. */
    public String teleopEvent() {
        return topic("teleop/event");
    }

    /** Controller → operator's device: {@code EpisodeReview}, QoS 1, not retained. */
    public String teleopReview() {
        return topic("teleop/review");
    }

    /** The step batches of every robot (the learner's subscription). */
    public static String allLearnSteps() {
        return ROOT + "+/learn/steps";
    }

    /** The robot id of a topic {@code farl/v1/<robot>/…}, or null when the topic is not of that form. */
    public static String robotOf(String topic) {
        if (topic == null || !topic.startsWith(ROOT)) {
            return null;
        }
        int end = topic.indexOf('/', ROOT.length());
        String id = end < 0 ? null : topic.substring(ROOT.length(), end);
        return id != null && ROBOT_ID.matcher(id).matches() ? id : null;
    }
}
