package io.farl.robot.sim;

import java.util.SplittableRandom;

/**
 * Obstructed push: a block is pushed to a goal past a fragile vase (an upright cylinder, radius
 * {@value #VASE_RADIUS} m, {@value #VASE_HEIGHT} m tall) standing within 3 cm of the straight line between them.
 * IR failure: the hand or the block touches the vase (ode4j contacts). Safe: the block and the hand keep
 * {@value #MARGIN} m from the vase (the hand counts as clear when its fingertips are above the vase top by the
 * margin). The observation's second object is the vase (centre, identity quaternion).
 */
final class ObstructedPushTask extends TaskModel {

    static final double VASE_RADIUS = 0.03;
    static final double VASE_HEIGHT = 0.12;
    static final double MARGIN = 0.03;
    double vaseX;
    double vaseY;

    ObstructedPushTask() {
        super(TaskId.OBSTRUCTED_PUSH);
    }

    @Override
    void build(Bench b, SplittableRandom r, boolean nearFailure) {
        double[] start = blockLane(b, r);
        double sx = start[0];
        double sy = start[1];
        double dx = goalX - sx;
        double dy = goalY - sy;
        double len = Math.hypot(dx, dy);
        double t = uniform(r, 0.4, 0.6);
        double off = uniform(r, -0.03, 0.03);
        vaseX = sx + t * dx - dy / len * off;
        vaseY = sy + t * dy + dx / len * off;
        second = b.addStaticCylinder("vase", vaseX, vaseY, VASE_RADIUS, VASE_HEIGHT);
        b.handHazardContactIsFailure(true);
        regions.add(new Region.Circle(vaseX, vaseY, VASE_RADIUS, VASE_HEIGHT));
        objectMargin = MARGIN;
        handMargin = MARGIN;
        handCounts = true;
        layout.add(LayoutShape.rect("table", 0, 0, WORKSPACE_MAX[0] - WORKSPACE_MIN[0],
                WORKSPACE_MAX[1] - WORKSPACE_MIN[1]));
        layout.add(LayoutShape.circle("vase", vaseX, vaseY, VASE_RADIUS));
        layout.add(LayoutShape.circle("target", goalX, goalY, FragilePushWallTask.TARGET_TOLERANCE));
        if (!nearFailure) {
            Bench.setPlanarPose(object, sx, sy, FragilePushWallTask.BLOCK_SIZE / 2, uniform(r, -0.2, 0.2));
            randomHandStart(r);
        } else {
            nearHazard(this, r, (x, y, radius, toward) -> regions.get(0).gap(x, y, radius, toward), sx, sy);
        }
    }

    /** Planar clearance function of a hazard. */
    interface Clearance {
        double gap(double x, double y, double radius, double[] toward);
    }

    /**
     * Near-failure start shared with the disturbed push: 70% of seeds put the block 1.2-3 cm from the hazard with
     * the hand pushing it closer; the rest put the hand itself 1.2-3 cm from it, moving toward it, with the block
     * at its task start.
     */
    static void nearHazard(TaskModel m, SplittableRandom r, Clearance hazard, double startX, double startY) {
        double hx = m.second.x();
        double hy = m.second.y();
        double theta = uniform(r, 0, 2 * Math.PI);
        double ux = Math.cos(theta);
        double uy = Math.sin(theta);
        double gap = uniform(r, 0.012, 0.03);
        double v = uniform(r, 0.02, 0.05);
        double block = FragilePushWallTask.BLOCK_SIZE / 2;
        if (r.nextDouble() < 0.7) {
            double s = distanceForGap(hazard, hx, hy, ux, uy, m.object.footprintRadius, gap);
            Bench.setPlanarPose(m.object, hx + ux * s, hy + uy * s, block, uniform(r, -0.2, 0.2));
            m.object.body.setLinearVel(-ux * v, -uy * v, 0);
            m.handBehind(m.object, block, -ux, -uy, v);
        } else {
            Bench.setPlanarPose(m.object, startX, startY, block, uniform(r, -0.2, 0.2));
            double s = distanceForGap(hazard, hx, hy, ux, uy, Bench.HAND_RADIUS, gap);
            m.bench.placeHand(hx + ux * s, hy + uy * s, PUSH_Z, 0);
            m.handHintVx = -ux * v;
            m.handHintVy = -uy * v;
        }
    }

    /** Distance from the hazard centre along (ux, uy) at which a body of this radius has the given clearance. */
    static double distanceForGap(Clearance hazard, double hx, double hy, double ux, double uy, double radius,
            double gap) {
        double lo = 0;
        double hi = 1;
        double[] toward = new double[2];
        for (int i = 0; i < 60; i++) {
            double mid = (lo + hi) / 2;
            if (hazard.gap(hx + ux * mid, hy + uy * mid, radius, toward) < gap) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return hi;
    }

    @Override
    boolean goalReached() {
        return goalDistance() < FragilePushWallTask.TARGET_TOLERANCE;
    }
}
