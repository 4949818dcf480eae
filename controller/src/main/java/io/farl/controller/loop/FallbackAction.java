package io.farl.controller.loop;

import io.farl.robot.api.Values;
import java.util.Arrays;

/**
 * An action from a source that is not the gated policy pair: the local CPU copy of the recovery policy (used when
 * the full proposal misses its deadline) or a human teleoperator. Immutable.
 *
 * @param stampNanos          producer stamp, loop clock domain
 * @param observationSequence sequence of the observation it answers (or the teleoperator's own sequence)
 * @param action              normalised action
 */
public record FallbackAction(long stampNanos, long observationSequence, double[] action) {

    public FallbackAction {
        if (action == null) {
            throw new IllegalArgumentException("action must not be null");
        }
        action = action.clone();
    }

    @Override
    public double[] action() {
        return action.clone();
    }

    public boolean wellFormed(int size) {
        return action.length == size && Values.firstNonFinite(action) < 0;
    }

    void copyAction(double[] target) {
        System.arraycopy(action, 0, target, 0, action.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FallbackAction f && stampNanos == f.stampNanos
                && observationSequence == f.observationSequence && Arrays.equals(action, f.action);
    }

    @Override
    public int hashCode() {
        return 31 * Long.hashCode(observationSequence) + Arrays.hashCode(action);
    }

    @Override
    public String toString() {
        return "FallbackAction[stampNanos=" + stampNanos + ", observationSequence=" + observationSequence
                + ", action=" + Arrays.toString(action) + "]";
    }
}
