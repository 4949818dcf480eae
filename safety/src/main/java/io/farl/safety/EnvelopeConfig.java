package io.farl.safety;

import io.farl.robot.api.RobotDescription;
import io.farl.robot.api.Workspace;
import java.util.Arrays;

/**
 * Limits of a {@link SafetyEnvelope}. Values may only tighten the {@link RobotDescription}'s own limits; the
 * envelope rejects a looser config, naming the field. Start from {@link #custom(RobotDescription)}, which copies the
 * description's limits (no tightening), and tighten from there.
 *
 * @param actionLow                lower bound per action entry, normalised units
 * @param actionHigh               upper bound per action entry, normalised units
 * @param workspace                box the hand must stay in, metres
 * @param maxSpeedMetersPerSecond  Cartesian hand speed limit, m/s
 * @param maxActionDeltaPerPeriod  largest change of any action entry from one period to the next, normalised units
 * @param commandLatencyNanos      time from the write until the robot executes the command, nanoseconds; the
 *                                 workspace cut projects the hand over observation age + this + one period
 * @param handPositionField        observation field with the hand position (3 entries, metres)
 * @param velocityActionField      action field with the Cartesian velocity fraction (3 entries)
 * @param gripperActionField       action field with the gripper command (1 entry), or null when there is none
 */
public record EnvelopeConfig(double[] actionLow, double[] actionHigh, Workspace workspace,
        double maxSpeedMetersPerSecond, double maxActionDeltaPerPeriod, long commandLatencyNanos,
        String handPositionField,
        String velocityActionField, String gripperActionField) {

    public EnvelopeConfig {
        if (actionLow == null || actionHigh == null || actionLow.length != actionHigh.length || actionLow.length == 0) {
            throw new IllegalArgumentException("actionLow and actionHigh must be non-empty and of equal length");
        }
        actionLow = actionLow.clone();
        actionHigh = actionHigh.clone();
        for (int i = 0; i < actionLow.length; i++) {
            if (!Double.isFinite(actionLow[i]) || !Double.isFinite(actionHigh[i]) || actionLow[i] >= actionHigh[i]) {
                throw new IllegalArgumentException("actionLow[" + i + "]/actionHigh[" + i
                        + "] must be finite with low < high, got [" + actionLow[i] + ", " + actionHigh[i] + "]");
            }
        }
        if (workspace == null) {
            throw new IllegalArgumentException("workspace must be given");
        }
        if (!Double.isFinite(maxSpeedMetersPerSecond) || maxSpeedMetersPerSecond <= 0) {
            throw new IllegalArgumentException("maxSpeedMetersPerSecond must be finite and > 0, got "
                    + maxSpeedMetersPerSecond);
        }
        if (!Double.isFinite(maxActionDeltaPerPeriod) || maxActionDeltaPerPeriod <= 0) {
            throw new IllegalArgumentException("maxActionDeltaPerPeriod must be finite and > 0, got "
                    + maxActionDeltaPerPeriod);
        }
        if (commandLatencyNanos < 0) {
            throw new IllegalArgumentException("commandLatencyNanos must be >= 0, got " + commandLatencyNanos);
        }
        requireName("handPositionField", handPositionField);
        requireName("velocityActionField", velocityActionField);
        if (gripperActionField != null && gripperActionField.isBlank()) {
            throw new IllegalArgumentException("gripperActionField must be null or a field name");
        }
    }

    private static void requireName(String what, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must name a field");
        }
    }

    @Override
    public double[] actionLow() {
        return actionLow.clone();
    }

    @Override
    public double[] actionHigh() {
        return actionHigh.clone();
    }

    /** A builder holding the description's own limits; every setter may only tighten them. */
    public static Builder custom(RobotDescription description) {
        return new Builder(description);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EnvelopeConfig c && Arrays.equals(actionLow, c.actionLow)
                && Arrays.equals(actionHigh, c.actionHigh) && workspace.equals(c.workspace)
                && Double.compare(maxSpeedMetersPerSecond, c.maxSpeedMetersPerSecond) == 0
                && Double.compare(maxActionDeltaPerPeriod, c.maxActionDeltaPerPeriod) == 0
                && commandLatencyNanos == c.commandLatencyNanos
                && handPositionField.equals(c.handPositionField) && velocityActionField.equals(c.velocityActionField)
                && java.util.Objects.equals(gripperActionField, c.gripperActionField);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(actionLow) + Arrays.hashCode(actionHigh) + workspace.hashCode();
    }

    @Override
    public String toString() {
        return "EnvelopeConfig[actionLow=" + Arrays.toString(actionLow) + ", actionHigh=" + Arrays.toString(actionHigh)
                + ", workspace=" + workspace + ", maxSpeedMetersPerSecond=" + maxSpeedMetersPerSecond
                + ", maxActionDeltaPerPeriod=" + maxActionDeltaPerPeriod + ", commandLatencyNanos="
                + commandLatencyNanos + ", handPositionField=" + handPositionField
                + ", velocityActionField=" + velocityActionField + ", gripperActionField=" + gripperActionField + "]";
    }

    /**
     * Default step-change limit of {@link #custom}, as a rate: an action entry may change by at most this much per
     * second (normalised units), e.g. 0.2 per period at 100 Hz: from rest to full speed in 50 ms.
     */
    public static final double DEFAULT_MAX_ACTION_CHANGE_PER_SECOND = 20.0;

    /** Fluent construction, starting from a description's limits. */
    public static final class Builder {
        private double[] actionLow;
        private double[] actionHigh;
        private Workspace workspace;
        private double maxSpeedMetersPerSecond;
        private double maxActionDeltaPerPeriod;
        private long commandLatencyNanos;
        private String handPositionField = "hand_pos";
        private String velocityActionField = "delta_pos";
        private String gripperActionField = "gripper";

        private Builder(RobotDescription d) {
            actionLow = d.actionLow();
            actionHigh = d.actionHigh();
            workspace = d.workspace();
            maxSpeedMetersPerSecond = d.maxSpeedMetersPerSecond();
            double widest = 0;
            for (int i = 0; i < actionLow.length; i++) {
                widest = Math.max(widest, actionHigh[i] - actionLow[i]);
            }
            // Default: a realistic step limit (see DEFAULT_MAX_ACTION_CHANGE_PER_SECOND), never wider than the bounds.
            maxActionDeltaPerPeriod = Math.min(widest,
                    DEFAULT_MAX_ACTION_CHANGE_PER_SECOND * d.controlPeriodNanos() * 1e-9);
            if (d.actionLayout().stream().noneMatch(f -> f.name().equals(gripperActionField))) {
                gripperActionField = null;
            }
        }

        public Builder actionBounds(double[] low, double[] high) {
            this.actionLow = low.clone();
            this.actionHigh = high.clone();
            return this;
        }

        public Builder workspace(Workspace box) {
            this.workspace = box;
            return this;
        }

        public Builder maxSpeedMetersPerSecond(double value) {
            this.maxSpeedMetersPerSecond = value;
            return this;
        }

        public Builder maxActionDeltaPerPeriod(double value) {
            this.maxActionDeltaPerPeriod = value;
            return this;
        }

        public Builder commandLatencyNanos(long value) {
            this.commandLatencyNanos = value;
            return this;
        }

        public Builder handPositionField(String name) {
            this.handPositionField = name;
            return this;
        }

        public Builder velocityActionField(String name) {
            this.velocityActionField = name;
            return this;
        }

        public Builder gripperActionField(String name) {
            this.gripperActionField = name;
            return this;
        }

        public EnvelopeConfig build() {
            return new EnvelopeConfig(actionLow, actionHigh, workspace, maxSpeedMetersPerSecond,
                    maxActionDeltaPerPeriod, commandLatencyNanos, handPositionField, velocityActionField, gripperActionField);
        }
    }
}
