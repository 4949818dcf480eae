package io.farl.launch;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.farl.controller.loop.LoopConfig;
import io.farl.robot.api.RobotDescription;
import io.farl.robot.api.Workspace;
import io.farl.safety.EnvelopeConfig;
import io.farl.safety.GateConfig;
import io.farl.safety.SupervisorConfig;
import io.farl.safety.WatchdogConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * The robot configuration file (YAML): the limits the controller enforces on one robot, its fault policy, its input
 * age limits and its e-stop input. Every key is optional and a missing one takes a safe default that is on: the
 * workspace shrunk by 2 cm, half the robot's top speed, a step-change limit of 10 normalised units per second, 5 ms
 * command latency in the workspace projection, holds escalating to STOPPED after 2 s, three faults in one second
 * latching STOPPED, and the e-stop read from a file. Values may only tighten the robot description (the envelope
 * refuses anything looser). Unknown keys and bad values are errors that name the key and its line.
 *
 * <pre>
 * envelope:
 *   workspace_margin_m: 0.02        # shrink the description's box on every side, metres, >= 0
 *   max_speed_fraction: 0.5         # of the description's top speed, (0, 1]
 *   max_action_change_per_s: 10     # largest change of an action entry per second, normalised units, > 0
 *   command_latency_ms: 5           # write-to-execution latency, >= 0
 *   velocity_action_field: ...      # default: the first 3-entry action field
 *   hand_position_field: hand_pos   # observation field with the hand position
 * supervisor:
 *   max_faults: 3                   # this many faults ...
 *   fault_window_ms: 1000           # ... within this window latch STOPPED
 *   max_hold_ms: 2000               # a hold this long latches STOPPED
 * watchdog:                         # input age limits; default 3 control periods each
 *   max_observation_age_ms / max_proposal_age_ms / max_fallback_age_ms / max_human_command_age_ms
 *   max_clock_skew_ms: 0.25 x the observation limit
 * fallback_to_recovery: true        # on a proposal deadline miss, run a fresh local recovery action
 * transfer_periods: 5               # blend over this many periods when handing back to the task policy
 * estop:
 *   file: /run/farl/estop           # the e-stop is engaged while this file exists
 *   poll_ms: 1                      # how often the e-stop watcher looks
 * link:                             # farl run --robot mqtt|ros1; an explicit command-line option wins
 *   mqtt:
 *     broker: tcp://127.0.0.1:1883  # or ssl://host:port with ca
 *     robot_id: sim                 # topics farl/v1/ROBOT_ID/...
 *     user: controller              # the password comes from $FARL_MQTT_PASSWORD
 *     ca: /etc/farl/broker-ca.pem
 *   ros1:
 *     master: http://127.0.0.1:11311/
 *     host: 127.0.0.1
 *     namespace: /farl_sim          # default topic map: NS/servo/twist, NS/gripper, NS/joint_states, NS/ee_pose,
 *                                   # NS/object1_pose.., NS/estop, NS/episode_events
 *     topics:                       # any of them by name instead
 *       command / gripper / joint_states / ee_pose / estop / episode_events: /name
 *       object_poses: [/obj1, /obj2, /goal]
 * </pre>
 */
public final class RobotConfigFile {
    static final double DEFAULT_WORKSPACE_MARGIN_M = 0.02;
    static final double DEFAULT_MAX_SPEED_FRACTION = 0.5;
    static final double DEFAULT_MAX_ACTION_CHANGE_PER_S = 10.0;
    static final double DEFAULT_COMMAND_LATENCY_MS = 5.0;
    static final Path DEFAULT_ESTOP_FILE = Path.of("/run/farl/estop");

    private static final Set<String> KEYS = Set.of("envelope", "envelope.workspace_margin_m",
            "envelope.max_speed_fraction", "envelope.max_action_change_per_s", "envelope.command_latency_ms",
            "envelope.velocity_action_field", "envelope.hand_position_field",
            "supervisor", "supervisor.max_faults", "supervisor.fault_window_ms", "supervisor.max_hold_ms", "watchdog",
            "watchdog.max_observation_age_ms", "watchdog.max_proposal_age_ms", "watchdog.max_fallback_age_ms",
            "watchdog.max_human_command_age_ms", "watchdog.max_clock_skew_ms", "fallback_to_recovery",
            "transfer_periods", "estop", "estop.file", "estop.poll_ms", "link", "link.mqtt", "link.mqtt.broker",
            "link.mqtt.robot_id", "link.mqtt.user", "link.mqtt.ca", "link.ros1", "link.ros1.master", "link.ros1.host",
            "link.ros1.namespace", "link.ros1.topics", "link.ros1.topics.command", "link.ros1.topics.gripper",
            "link.ros1.topics.joint_states", "link.ros1.topics.ee_pose", "link.ros1.topics.object_poses",
            "link.ros1.topics.estop", "link.ros1.topics.episode_events", "learning", "learning.reward",
            "learning.demonstrations");

    /**
     * What the file configures.
     *
     * @param loop           the loop's configuration (with the caller's calibrated gate)
     * @param estopFile      the e-stop is engaged while this file exists
     * @param estopPollNanos how often to look at it
     * @param link           the {@code link:} section (all null when absent)
     * @param trainingReward {@code learning.reward}: what online fine-tuning learns from (shaped, sparse, the path
     *                       of a learned reward, gail or gailfe); null when absent
     * @param demonstrations {@code learning.demonstrations}: what gail and gailfe imitate; null when absent
     */
    public record Loaded(LoopConfig loop, Path estopFile, long estopPollNanos, LinkSettings link,
            String trainingReward, Path demonstrations) {
    }

    private final String source;
    private final JsonNode root;
    private final Map<String, Integer> lines;

    private RobotConfigFile(String source, JsonNode root, Map<String, Integer> lines) {
        this.source = source;
        this.root = root;
        this.lines = lines;
    }

    /** Read and validate {@code file} for {@code description}. */
    public static Loaded load(Path file, RobotDescription description, GateConfig gate) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new BadInputException("cannot read robot config " + file + ": " + e.getMessage(), e);
        }
        return parse(text, file.toString(), description, gate);
    }

    /** The safe defaults, as from an empty file. */
    public static Loaded defaults(RobotDescription description, GateConfig gate) {
        return parse("{}", "defaults", description, gate);
    }

    static Loaded parse(String yaml, String source, RobotDescription description, GateConfig gate) {
        YAMLFactory factory = new YAMLFactory();
        Map<String, Integer> lines = new HashMap<>();
        JsonNode root;
        try {
            try (JsonParser p = factory.createParser(yaml)) {
                recordLines(p, lines);
            }
            root = new ObjectMapper(factory).readTree(yaml);
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
            throw new BadInputException(source + ":" + line + ": not valid YAML: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new BadInputException(source + ": cannot parse: " + e.getMessage(), e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            root = new ObjectMapper().createObjectNode();
        }
        RobotConfigFile f = new RobotConfigFile(source, root, lines);
        if (!root.isObject()) {
            throw f.error("", "the file must be a mapping of keys");
        }
        f.checkKeys(root, "");
        try {
            return f.build(description, gate);
        } catch (IllegalArgumentException e) {
            // a limit the envelope refuses (e.g. looser than the robot): name the section
            throw new BadInputException(source + ": envelope: " + e.getMessage(), e);
        }
    }

    /** Line of every key path ("envelope.max_speed_fraction"). */
    private static void recordLines(JsonParser p, Map<String, Integer> lines) throws IOException {
        Deque<String> path = new ArrayDeque<>();
        String pending = null;
        for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
            String prefix = path.isEmpty() ? "" : path.peek();
            switch (t) {
                case FIELD_NAME -> {
                    pending = join(prefix, p.currentName());
                    lines.putIfAbsent(pending, p.currentLocation().getLineNr());
                }
                case START_OBJECT -> path.push(pending == null ? prefix : pending);
                case END_OBJECT -> {
                    path.pop();
                    pending = null;
                }
                default -> {
                }
            }
        }
    }

    private static String join(String prefix, String name) {
        return prefix.isEmpty() ? name : prefix + "." + name;
    }

    private void checkKeys(JsonNode node, String prefix) {
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            if (!KEYS.contains(key)) {
                throw error(key, "unknown key");
            }
            if (e.getValue().isObject()) {
                checkKeys(e.getValue(), key);
            }
        }
    }

    private BadInputException error(String key, String message) {
        Integer line = lines.get(key);
        return new BadInputException(source + (line == null ? "" : ":" + line) + ": "
                + (key.isEmpty() ? "" : "'" + key + "': ") + message);
    }

    private JsonNode node(String key) {
        JsonNode n = root;
        for (String part : key.split("\\.")) {
            n = n == null ? null : n.get(part);
        }
        return n;
    }

    private double number(String key, double fallback, double min, boolean minOpen, double max) {
        JsonNode n = node(key);
        if (n == null || n.isNull()) {
            return fallback;
        }
        if (!n.isNumber()) {
            throw error(key, "must be a number, got '" + n.asText() + "'");
        }
        double v = n.asDouble();
        boolean low = minOpen ? v <= min : v < min;
        if (!Double.isFinite(v) || low || v > max) {
            throw error(key, "must be in " + (minOpen ? "(" : "[") + min + ", " + max + "], got " + v);
        }
        return v;
    }

    private boolean flag(String key, boolean fallback) {
        JsonNode n = node(key);
        if (n == null || n.isNull()) {
            return fallback;
        }
        if (!n.isBoolean()) {
            throw error(key, "must be true or false, got '" + n.asText() + "'");
        }
        return n.asBoolean();
    }

    private String field(String key, String fallback) {
        JsonNode n = node(key);
        if (n == null || n.isNull()) {
            return fallback;
        }
        if (!n.isTextual() || n.asText().isBlank()) {
            throw error(key, "must be a field name");
        }
        return n.asText();
    }

    private static String defaultVelocityField(RobotDescription d) {
        return d.actionLayout().stream().filter(f -> f.size() == 3).map(io.farl.robot.api.Field::name).findFirst()
                .orElse("delta_pos");
    }

    private static long millisToNanos(double ms) {
        return Math.round(ms * 1_000_000.0);
    }

    private Loaded build(RobotDescription d, GateConfig gate) {
        double periodMs = d.controlPeriodNanos() / 1e6;
        Workspace box = d.workspace();
        double maxMargin = Math.min(box.maxX() - box.minX(), Math.min(box.maxY() - box.minY(),
                box.maxZ() - box.minZ())) / 2;
        double margin = number("envelope.workspace_margin_m", DEFAULT_WORKSPACE_MARGIN_M, 0, false, maxMargin);
        if (margin >= maxMargin) {
            throw error("envelope.workspace_margin_m", "leaves no workspace (box half-width " + maxMargin + " m)");
        }
        double speed = number("envelope.max_speed_fraction", DEFAULT_MAX_SPEED_FRACTION, 0, true, 1);
        double change = number("envelope.max_action_change_per_s", DEFAULT_MAX_ACTION_CHANGE_PER_S, 0, true, 1e6);
        double latencyMs = number("envelope.command_latency_ms", DEFAULT_COMMAND_LATENCY_MS, 0, false, 10_000);
        EnvelopeConfig envelope = EnvelopeConfig.custom(d)
                .velocityActionField(field("envelope.velocity_action_field", defaultVelocityField(d)))
                .handPositionField(field("envelope.hand_position_field", "hand_pos"))
                .workspace(new Workspace(box.minX() + margin, box.minY() + margin, box.minZ() + margin,
                        box.maxX() - margin, box.maxY() - margin, box.maxZ() - margin))
                .maxSpeedMetersPerSecond(speed * d.maxSpeedMetersPerSecond())
                .maxActionDeltaPerPeriod(change * d.controlPeriodNanos() * 1e-9)
                .commandLatencyNanos(millisToNanos(latencyMs)).build();
        int maxFaults = (int) number("supervisor.max_faults", 3, 1, false, 1000);
        if (maxFaults != number("supervisor.max_faults", 3, 1, false, 1000)) {
            throw error("supervisor.max_faults", "must be a whole number");
        }
        SupervisorConfig supervisor = new SupervisorConfig(maxFaults,
                millisToNanos(number("supervisor.fault_window_ms", 1000, 0, true, 3_600_000)),
                millisToNanos(number("supervisor.max_hold_ms", 2000, 0, true, 3_600_000)));
        double obsAge = number("watchdog.max_observation_age_ms", 3 * periodMs, 0, true, 60_000);
        WatchdogConfig watchdog = new WatchdogConfig(millisToNanos(obsAge),
                millisToNanos(number("watchdog.max_proposal_age_ms", 3 * periodMs, 0, true, 60_000)),
                millisToNanos(number("watchdog.max_fallback_age_ms", 3 * periodMs, 0, true, 60_000)),
                millisToNanos(number("watchdog.max_human_command_age_ms", 3 * periodMs, 0, true, 60_000)),
                millisToNanos(number("watchdog.max_clock_skew_ms", obsAge / 4, 0, false, 60_000)));
        double transfer = number("transfer_periods", 5, 0, false, 10_000);
        if (transfer != Math.rint(transfer)) {
            throw error("transfer_periods", "must be a whole number, got " + transfer);
        }
        LoopConfig loop = new LoopConfig(envelope, gate, supervisor, watchdog, (int) transfer,
                flag("fallback_to_recovery", true));
        JsonNode estopFile = node("estop.file");
        Path estop = DEFAULT_ESTOP_FILE;
        if (estopFile != null && !estopFile.isNull()) {
            if (!estopFile.isTextual() || estopFile.asText().isBlank()) {
                throw error("estop.file", "must be a path");
            }
            estop = Path.of(estopFile.asText());
        }
        long poll = millisToNanos(number("estop.poll_ms", 1, 0, true, 1000));
        String demos = text("learning.demonstrations");
        return new Loaded(loop, estop, poll, link(), text("learning.reward"), demos == null ? null : Path.of(demos));
    }

    private LinkSettings link() {
        String ca = text("link.mqtt.ca");
        LinkSettings.Mqtt mqtt = new LinkSettings.Mqtt(text("link.mqtt.broker"), text("link.mqtt.robot_id"),
                text("link.mqtt.user"), ca == null ? null : Path.of(ca));
        if (mqtt.broker() != null && !mqtt.broker().startsWith("tcp://") && !mqtt.broker().startsWith("ssl://")) {
            throw error("link.mqtt.broker", "must start with tcp:// or ssl://, got '" + mqtt.broker() + "'");
        }
        if (mqtt.robotId() != null && !mqtt.robotId().matches("[A-Za-z0-9_-]{1,64}")) {
            throw error("link.mqtt.robot_id", "must be 1-64 of [A-Za-z0-9_-], got '" + mqtt.robotId() + "'");
        }
        String t = "link.ros1.topics.";
        LinkSettings.Topics topics = new LinkSettings.Topics(topic(t + "command"), topic(t + "gripper"),
                topic(t + "joint_states"), topic(t + "ee_pose"), topics(t + "object_poses"), topic(t + "estop"),
                topic(t + "episode_events"));
        String master = text("link.ros1.master");
        if (master != null && !master.startsWith("http://")) {
            throw error("link.ros1.master", "must be an http:// URI, got '" + master + "'");
        }
        return new LinkSettings(mqtt, new LinkSettings.Ros1(master, text("link.ros1.host"),
                topic("link.ros1.namespace"), topics));
    }

    /** A non-blank string, or null when absent. */
    private String text(String key) {
        JsonNode n = node(key);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual() || n.asText().isBlank()) {
            throw error(key, "must be a non-empty string");
        }
        return n.asText();
    }

    /** A global ROS name ({@code /a/b}), or null when absent. */
    private String topic(String key) {
        String v = text(key);
        if (v != null && !v.matches("(/[A-Za-z][A-Za-z0-9_]*)+")) {
            throw error(key, "must be a global ROS name like /arm/joint_states, got '" + v + "'");
        }
        return v;
    }

    private java.util.List<String> topics(String key) {
        JsonNode n = node(key);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isArray()) {
            throw error(key, "must be a list of topic names");
        }
        java.util.List<String> out = new java.util.ArrayList<>();
        for (JsonNode e : n) {
            if (!e.isTextual() || !e.asText().matches("(/[A-Za-z][A-Za-z0-9_]*)+")) {
                throw error(key, "must be a list of global ROS names, got '" + e.asText() + "'");
            }
            out.add(e.asText());
        }
        return out;
    }
}
