package io.farl.pipeline.data;

import io.farl.model.api.Policy;
import io.farl.robot.sim.Demonstrator;

/**
 * A policy as a simulator actor, and the float/double conversions at the boundary between the two: policies work on
 * {@code float[]}, the simulator on {@code double[]}.
 */
public final class PolicyActor {
    private PolicyActor() {
    }

    /**
     * {@code p} as a {@link Demonstrator}: sampled (the task policy explores online) or its mean action (the frozen
     * recovery policy, as the gate runs it).
     */
    public static Demonstrator of(Policy p, boolean deterministic) {
        return obs -> toDouble(p.act(toFloat(obs), deterministic).action());
    }

    public static float[] toFloat(double[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) v[i];
        }
        return out;
    }

    public static double[] toDouble(float[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }
}
