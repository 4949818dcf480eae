package io.farl.robot.api;

import java.util.List;

/**
 * What a robot is, as far as the controller needs to know: vector layouts, hard limits, rate. Limits here
 * are the outermost ones; configuration may only tighten them.
 *
 * @param name                   robot or task name
 * @param observationLayout      named slices of the observation vector, contiguous from 0
 * @param actionLayout           named slices of the action vector, contiguous from 0
 * @param actionLow              lower bound of every action entry (normalised units)
 * @param actionHigh             upper bound of every action entry
 * @param workspace              box the end effector must stay in, metres
 * @param maxSpeedMetersPerSecond end-effector speed reached at action magnitude 1
 * @param controlPeriodNanos     nominal control period
 */
public record RobotDescription(String name, List<Field> observationLayout, List<Field> actionLayout,
        double[] actionLow, double[] actionHigh, Workspace workspace, double maxSpeedMetersPerSecond,
        long controlPeriodNanos) {

    public RobotDescription {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("robot name must not be blank");
        }
        observationLayout = List.copyOf(observationLayout);
        actionLayout = List.copyOf(actionLayout);
        checkContiguous("observation", observationLayout);
        checkContiguous("action", actionLayout);
        int act = dimension(actionLayout);
        if (actionLow.length != act || actionHigh.length != act) {
            throw new IllegalArgumentException("action bounds must have " + act + " entries, got " + actionLow.length
                    + " and " + actionHigh.length);
        }
        actionLow = actionLow.clone();
        actionHigh = actionHigh.clone();
        for (int i = 0; i < act; i++) {
            if (!Double.isFinite(actionLow[i]) || !Double.isFinite(actionHigh[i]) || actionLow[i] >= actionHigh[i]) {
                throw new IllegalArgumentException("action bound " + i + " must be finite with low < high, got ["
                        + actionLow[i] + ", " + actionHigh[i] + "]");
            }
        }
        if (workspace == null) {
            throw new IllegalArgumentException("workspace must be given");
        }
        if (!(maxSpeedMetersPerSecond > 0) || !Double.isFinite(maxSpeedMetersPerSecond)) {
            throw new IllegalArgumentException("maxSpeedMetersPerSecond must be finite and > 0, got "
                    + maxSpeedMetersPerSecond);
        }
        if (controlPeriodNanos <= 0) {
            throw new IllegalArgumentException("controlPeriodNanos must be > 0, got " + controlPeriodNanos);
        }
    }

    private static void checkContiguous(String what, List<Field> layout) {
        if (layout.isEmpty()) {
            throw new IllegalArgumentException(what + " layout must not be empty");
        }
        int next = 0;
        for (Field f : layout) {
            if (f.offset() != next) {
                throw new IllegalArgumentException(what + " field " + f.name() + " starts at " + f.offset()
                        + ", expected " + next);
            }
            next = f.end();
        }
    }

    private static int dimension(List<Field> layout) {
        return layout.get(layout.size() - 1).end();
    }

    public int observationSize() {
        return dimension(observationLayout);
    }

    public int actionSize() {
        return dimension(actionLayout);
    }

    public double controlRateHz() {
        return 1e9 / controlPeriodNanos;
    }

    /** The observation field with this name. */
    public Field observationField(String fieldName) {
        return observationLayout.stream().filter(f -> f.name().equals(fieldName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no observation field " + fieldName + " in " + name));
    }

    @Override
    public double[] actionLow() {
        return actionLow.clone();
    }

    @Override
    public double[] actionHigh() {
        return actionHigh.clone();
    }
}
