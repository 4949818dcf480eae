package io.farl.interchange;

import io.farl.interchange.Column.Type;
import io.farl.robot.api.Field;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The columns of a frame table: one row per recorded step. The LeRobot columns come first ({@code observation.state},
 * {@code action} = the executed action, {@code next.reward}, {@code next.done}, the indices and {@code timestamp}),
 * then what farl records besides, under {@code next.*} or {@code farl.*} names. Tools that know LeRobot read the
 * first group and may ignore the rest; {@code farl import} reads both.
 */
public final class FrameColumns {

    public static final String OBSERVATION = "observation.state";
    /** The executed action: what the robot was sent, after the gate and the envelope. */
    public static final String ACTION = "action";
    public static final String REWARD = "next.reward";
    /** terminated or truncated. */
    public static final String DONE = "next.done";
    /** The goal is met after this step. */
    public static final String SUCCESS = "next.success";
    /** Seconds since the episode's first observation. */
    public static final String TIMESTAMP = "timestamp";
    public static final String FRAME_INDEX = "frame_index";
    public static final String EPISODE_INDEX = "episode_index";
    /** Frame index over the whole exported dataset. */
    public static final String INDEX = "index";
    public static final String TASK_INDEX = "task_index";
    /** The observation after the step. */
    public static final String NEXT_OBSERVATION = "next.observation.state";
    /** The acting policy's (or demonstrator's) proposal; null when there was none (pure teleoperation). */
    public static final String PROPOSED_ACTION = "farl.proposed_action";
    /** TASK, RECOVERY, HUMAN, HOLD or STOPPED: who was in charge. */
    public static final String MODE = "farl.mode";
    public static final String IS_HUMAN = "farl.is_human";
    public static final String IS_RECOVERY = "farl.is_recovery";
    /** C(s,a) = 1: the task's irreversible-failure predicate held on this step. */
    public static final String IR_FAILURE = "farl.ir_failure";
    /** Predicted H-step failure cost C_H of the proposal; null when no world model ran. */
    public static final String FAILURE_COST = "farl.failure_cost";
    /** The envelope changed the command on this step. */
    public static final String ENVELOPE_INTERVENED = "farl.envelope_intervened";
    /** The envelope's interventions as a JSON array of {limit, index, requested, applied}. */
    public static final String INTERVENTIONS = "farl.interventions";
    public static final String POLICY_VERSION = "farl.policy_version";
    /** Log-probability of the proposal under the acting policy; null when it has none. */
    public static final String LOG_PROB = "farl.log_prob";
    /** Monotonic (or simulated) time of the observation, nanoseconds, as recorded. */
    public static final String STAMP_NANOS = "farl.stamp_nanos";
    public static final String TERMINATED = "farl.terminated";
    public static final String TRUNCATED = "farl.truncated";

    /** Columns whose cells are vectors, whatever their size. */
    static final Set<String> VECTORS = Set.of(OBSERVATION, ACTION, NEXT_OBSERVATION, PROPOSED_ACTION);
    /** Columns every table must have. */
    static final Set<String> REQUIRED = Set.of(OBSERVATION, ACTION);

    private FrameColumns() {
    }

    /** Every column farl writes, in table order. */
    static List<Column> of(int observationSize, int actionSize) {
        return List.of(
                Column.vector(OBSERVATION, observationSize, false),
                Column.vector(ACTION, actionSize, false),
                Column.scalar(REWARD, Type.FLOAT64, false),
                Column.scalar(DONE, Type.BOOL, false),
                Column.scalar(SUCCESS, Type.BOOL, false),
                Column.scalar(TIMESTAMP, Type.FLOAT64, false),
                Column.scalar(FRAME_INDEX, Type.INT64, false),
                Column.scalar(EPISODE_INDEX, Type.INT64, false),
                Column.scalar(INDEX, Type.INT64, false),
                Column.scalar(TASK_INDEX, Type.INT64, false),
                Column.vector(NEXT_OBSERVATION, observationSize, false),
                Column.vector(PROPOSED_ACTION, actionSize, true),
                Column.scalar(MODE, Type.STRING, false),
                Column.scalar(IS_HUMAN, Type.BOOL, false),
                Column.scalar(IS_RECOVERY, Type.BOOL, false),
                Column.scalar(IR_FAILURE, Type.BOOL, false),
                Column.scalar(FAILURE_COST, Type.FLOAT64, true),
                Column.scalar(ENVELOPE_INTERVENED, Type.BOOL, false),
                Column.scalar(INTERVENTIONS, Type.STRING, false),
                Column.scalar(POLICY_VERSION, Type.INT64, false),
                Column.scalar(LOG_PROB, Type.FLOAT64, true),
                Column.scalar(STAMP_NANOS, Type.INT64, false),
                Column.scalar(TERMINATED, Type.BOOL, false),
                Column.scalar(TRUNCATED, Type.BOOL, false));
    }

    /** The {@code features} of meta/info.json for these columns; vector entries named after the layouts. */
    static Map<String, LeRobotMeta.Feature> features(List<Column> columns, List<Field> observationLayout,
            List<Field> actionLayout) {
        Map<String, LeRobotMeta.Feature> features = new LinkedHashMap<>();
        for (Column c : columns) {
            List<String> names = null;
            if (c.name().equals(OBSERVATION) || c.name().equals(NEXT_OBSERVATION)) {
                names = entryNames(observationLayout);
            } else if (c.name().equals(ACTION) || c.name().equals(PROPOSED_ACTION)) {
                names = entryNames(actionLayout);
            }
            features.put(c.name(), new LeRobotMeta.Feature(c.type().dtype(), List.of(c.size()), names));
        }
        return features;
    }

    /**
     * The columns to read for a table described by {@code features}: every farl column the features name, sized by
     * their shapes; features farl does not read (images, videos, other tools' extras) are left out.
     *
     * @throws InterchangeInputException when a required feature is missing or a shape or dtype does not fit
     */
    static List<Column> fromFeatures(String where, Map<String, LeRobotMeta.Feature> features) {
        for (String required : REQUIRED) {
            if (features == null || !features.containsKey(required)) {
                throw new InterchangeInputException(where + ": features has no '" + required + "'");
            }
        }
        int observationSize = size(where, OBSERVATION, features.get(OBSERVATION));
        int actionSize = size(where, ACTION, features.get(ACTION));
        List<Column> read = new ArrayList<>();
        for (Column c : of(observationSize, actionSize)) {
            LeRobotMeta.Feature f = features.get(c.name());
            if (f == null) {
                continue;
            }
            if (size(where, c.name(), f) != c.size()) {
                throw new InterchangeInputException(where + ": feature '" + c.name() + "' has shape " + f.shape()
                        + ", expected [" + c.size() + "]");
            }
            read.add(c);
        }
        return read;
    }

    private static int size(String where, String name, LeRobotMeta.Feature f) {
        if (f.shape() == null || f.shape().size() != 1 || f.shape().get(0) == null || f.shape().get(0) <= 0) {
            throw new InterchangeInputException(where + ": feature '" + name + "' has shape " + f.shape()
                    + ", expected one positive size");
        }
        return f.shape().get(0);
    }

    private static List<String> entryNames(List<Field> layout) {
        if (layout.isEmpty()) {
            return null;
        }
        List<String> names = new ArrayList<>();
        for (Field f : layout) {
            for (int i = 0; i < f.size(); i++) {
                names.add(f.size() == 1 ? f.name() : f.name() + "[" + i + "]");
            }
        }
        return names;
    }
}
