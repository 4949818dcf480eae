package io.farl.robot.sim;

/**
 * Planar pushing primitive shared by the scripted demonstrators: get behind the object on the line to a sub-goal
 * (lifting over it when needed), descend, and push while steering back onto the line. Holds one bit of state (in
 * contact and pushing or not) for hysteresis; one instance per episode.
 */
final class PushController {

    private static final double GAIN = 6.0;
    private static final double LOW = TaskModel.PUSH_Z + 0.015;

    private final double liftZ;
    private final double support;
    private final boolean round;
    private double[] keepOut;
    private boolean pushing;

    /**
     * @param liftZ   travel height when the hand must pass over things, m
     * @param support distance from the object centre to its contact face, m
     * @param round   the object is round in plan (puck, ball): it settles between the closed fingertips
     * @param keepOut circles {x, y, r, ...} the hand must not cross low (fixtures it must not touch)
     */
    PushController(double liftZ, double support, boolean round, double... keepOut) {
        this.liftZ = liftZ;
        this.support = support;
        this.round = round;
        this.keepOut = keepOut.clone();
    }

    /** Replaces the keep-out circles {x, y, r, ...} (for fixtures that move). */
    void keepOut(double... circles) {
        keepOut = circles.clone();
    }

    double standoff(double ux, double uy) {
        return support + Bench.FINGER_RADIUS + 0.004;
    }

    /** Action pushing the object toward (tx, ty) at up to {@code speedCap} m/s, at least {@code minSpeed}. */
    double[] push(double[] obs, double tx, double ty, double minSpeed, double speedCap) {
        double ox = obs[4];
        double oy = obs[5];
        double dx = tx - ox;
        double dy = ty - oy;
        double dist = Math.hypot(dx, dy);
        if (dist < 1e-6) {
            return hold();
        }
        double ux = dx / dist;
        double uy = dy / dist;
        // Steer the notch between the closed fingertips when pushing within ~15 degrees of x (the object sits in
        // it and follows the hand); otherwise only the leading fingertip touches, so steer that one.
        double lead = Math.abs(uy) < 0.26 ? 0 : Bench.FINGER_RADIUS * Math.signum(uy);
        double hx = obs[0];
        double hy = obs[1] + lead;
        double hz = obs[2];
        double px = -uy;
        double py = ux;
        double standoff = standoff(ux, uy);
        double ex = hx - ox;
        double ey = hy - oy;
        double along = ex * ux + ey * uy;
        double lateral = ex * px + ey * py;
        boolean low = hz < LOW;
        boolean enter = low && Math.abs(lateral) < 0.012 && along < -standoff + 0.012 && along > -standoff - 0.06;
        boolean stay = low && Math.abs(lateral) < 0.025 && along < -standoff + 0.02 && along > -standoff - 0.12;
        pushing = pushing ? stay : enter;
        if (pushing) {
            double speed = Math.max(minSpeed, Math.min(speedCap, 1.2 * dist));
            double catchUp = along < -standoff - 0.004 ? GAIN * (-standoff - along) : 0;
            // a round object in the notch follows the hand sideways too, so steer gently there
            double lateralGain = round && lead == 0 ? 1.5 : GAIN;
            double vx = ux * (speed + catchUp) - px * lateralGain * lateral;
            double vy = uy * (speed + catchUp) - py * lateralGain * lateral;
            return action(vx, vy, GAIN * (TaskModel.PUSH_Z - hz));
        }
        double qx = ox - ux * (standoff + 0.008);
        double qy = oy - uy * (standoff + 0.008);
        return travel(obs, qx, qy - lead, ox, oy, standoff);
    }

    /** Reposition to (qx, qy) low, lifting when the low path would sweep the object or a keep-out circle. */
    private double[] travel(double[] obs, double qx, double qy, double ox, double oy, double standoff) {
        double hx = obs[0];
        double hy = obs[1];
        double hz = obs[2];
        double dq = Math.hypot(qx - hx, qy - hy);
        if (dq < 0.01) {
            return action(GAIN * (qx - hx), GAIN * (qy - hy), GAIN * (TaskModel.PUSH_Z - hz));
        }
        boolean clear = dq < 0.15 && pathClear(hx, hy, qx, qy, ox, oy, standoff);
        double z = clear ? TaskModel.PUSH_Z : liftZ;
        if (!clear && hz < liftZ - 0.01) {
            // rise first, nearly in place, so the object is not swept
            return action(0, 0, TaskModel.MAX_SPEED);
        }
        return action(GAIN * (qx - hx), GAIN * (qy - hy), GAIN * (z - hz));
    }

    private boolean pathClear(double hx, double hy, double qx, double qy, double ox, double oy, double standoff) {
        double[] t = new double[2];
        if (Region.segment(ox, oy, hx, hy, qx, qy, t) < standoff + 0.004) {
            return false;
        }
        for (int i = 0; i + 2 < keepOut.length; i += 3) {
            if (Region.segment(keepOut[i], keepOut[i + 1], hx, hy, qx, qy, t) < keepOut[i + 2]
                    + Bench.HAND_RADIUS + 0.02) {
                return false;
            }
        }
        return true;
    }

    /** Move the hand toward (x, y, z) as fast as allowed. */
    static double[] moveTo(double[] obs, double x, double y, double z) {
        return action(GAIN * (x - obs[0]), GAIN * (y - obs[1]), GAIN * (z - obs[2]));
    }

    static double[] hold() {
        return new double[] {0, 0, 0, 1};
    }

    /** Normalised action for a hand velocity in m/s, gripper closed. */
    static double[] action(double vx, double vy, double vz) {
        double s = TaskModel.MAX_SPEED;
        return new double[] {clip(vx / s), clip(vy / s), clip(vz / s), 1};
    }

    static double clip(double v) {
        return Math.max(-1, Math.min(1, v));
    }

    boolean pushing() {
        return pushing;
    }
}
