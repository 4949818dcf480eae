package io.farl.robot.sim;

import java.util.SplittableRandom;

/**
 * Bounded push: a puck (cylinder) is pushed to a target placed 7-10 cm inside one edge of a fixed boundary
 * rectangle. IR failure: the puck's centre leaves the rectangle. Safe: the puck centre keeps
 * {@value #MARGIN} m from every edge. The observation's second object is all zeros.
 */
final class BoundedPushTask extends TaskModel {

    static final double MIN_X = -0.25;
    static final double MAX_X = 0.25;
    static final double MIN_Y = -0.20;
    static final double MAX_Y = 0.20;
    static final double PUCK_RADIUS = 0.03;
    static final double PUCK_HEIGHT = 0.03;
    static final double PUCK_MASS = 0.1;
    static final double PUCK_FRICTION = 0.15;
    static final double TARGET_TOLERANCE = 0.03;
    static final double MARGIN = 0.05;

    BoundedPushTask() {
        super(TaskId.BOUNDED_PUSH);
    }

    /** Outward unit normal of edge 0:+x, 1:-x, 2:+y, 3:-y. */
    static double[] outward(int edge) {
        return switch (edge) {
            case 0 -> new double[] {1, 0};
            case 1 -> new double[] {-1, 0};
            case 2 -> new double[] {0, 1};
            default -> new double[] {0, -1};
        };
    }

    /** A point {@code inset} inside edge {@code edge}, at {@code along} in [-1, 1] of the usable edge length. */
    static double[] pointInside(int edge, double inset, double along, double endClearance) {
        double halfX = (MAX_X - MIN_X) / 2 - endClearance;
        double halfY = (MAX_Y - MIN_Y) / 2 - endClearance;
        return switch (edge) {
            case 0 -> new double[] {MAX_X - inset, along * halfY};
            case 1 -> new double[] {MIN_X + inset, along * halfY};
            case 2 -> new double[] {along * halfX, MAX_Y - inset};
            default -> new double[] {along * halfX, MIN_Y + inset};
        };
    }

    static Region.Boundary boundary() {
        return new Region.Boundary(new double[][] {
            {MIN_X, MIN_Y, MAX_X, MIN_Y}, {MAX_X, MIN_Y, MAX_X, MAX_Y}, {MAX_X, MAX_Y, MIN_X, MAX_Y},
            {MIN_X, MAX_Y, MIN_X, MIN_Y}});
    }

    static boolean inside(double x, double y) {
        return x >= MIN_X && x <= MAX_X && y >= MIN_Y && y <= MAX_Y;
    }

    @Override
    void build(Bench b, SplittableRandom r, boolean nearFailure) {
        bench = b;
        object = b.addCylinderObject("puck", PUCK_RADIUS, PUCK_HEIGHT, PUCK_MASS, PUCK_FRICTION);
        int targetEdge = r.nextInt(4);
        double[] target = pointInside(targetEdge, uniform(r, 0.07, 0.10), uniform(r, -1, 1), 0.1);
        goalX = target[0];
        goalY = target[1];
        goalZ = PUCK_HEIGHT / 2;
        objectMargin = MARGIN;
        regions.add(boundary());
        layout.add(LayoutShape.rect("table", 0, 0, WORKSPACE_MAX[0] - WORKSPACE_MIN[0],
                WORKSPACE_MAX[1] - WORKSPACE_MIN[1]));
        layout.add(LayoutShape.rect("boundary", (MIN_X + MAX_X) / 2, (MIN_Y + MAX_Y) / 2, MAX_X - MIN_X,
                MAX_Y - MIN_Y));
        layout.add(LayoutShape.circle("target", goalX, goalY, TARGET_TOLERANCE));
        if (!nearFailure) {
            double px = 0;
            double py = 0;
            for (int i = 0; i < 100; i++) {
                px = uniform(r, -0.15, 0.15);
                py = uniform(r, -0.10, 0.10);
                double d = Math.hypot(px - goalX, py - goalY);
                if (d >= 0.15 && d <= 0.30) {
                    break;
                }
            }
            Bench.setPlanarPose(object, px, py, PUCK_HEIGHT / 2, 0);
            randomHandStart(r);
        } else {
            int edge = r.nextInt(4);
            double[] n = outward(edge);
            double[] p = pointInside(edge, uniform(r, 0.015, 0.04), uniform(r, -1, 1), 0.08);
            double v = uniform(r, 0.05, 0.12);
            Bench.setPlanarPose(object, p[0], p[1], PUCK_HEIGHT / 2, 0);
            object.body.setLinearVel(n[0] * v, n[1] * v, 0);
            handBehind(object, PUCK_RADIUS, n[0], n[1], v);
        }
    }

    @Override
    boolean goalReached() {
        return goalDistance() < TARGET_TOLERANCE;
    }

    @Override
    boolean positionFailure() {
        return !inside(object.x(), object.y());
    }
}
