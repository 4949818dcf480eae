package io.farl.robot.sim;

import java.util.SplittableRandom;

/**
 * Bounded soccer: a ball (sphere, rolling with a surface resistance of time constant
 * {@value #ROLL_DAMPING_SECONDS} s) is pushed into a goal behind the +x edge of the bounded-push rectangle; the goal
 * mouth ({@value #MOUTH_HALF_WIDTH} m half-width) is centred at a random y. Success: the ball's centre is inside
 * the goal box. IR failure: the ball's centre leaves the rectangle anywhere else. Safe: the ball keeps
 * {@value #MARGIN} m from every edge segment outside the mouth. The observation's second object is all zeros;
 * the goal position is the centre of the goal box.
 */
final class BoundedSoccerTask extends TaskModel {

    static final double BALL_RADIUS = 0.025;
    static final double BALL_MASS = 0.05;
    static final double BALL_FRICTION = 0.8;
    static final double ROLL_DAMPING_SECONDS = 0.3;
    static final double MOUTH_HALF_WIDTH = 0.07;
    static final double GOAL_DEPTH = 0.08;
    static final double MARGIN = 0.05;
    private final double physicsStepSeconds;
    double mouthY;

    BoundedSoccerTask(double physicsStepSeconds) {
        super(TaskId.BOUNDED_SOCCER);
        this.physicsStepSeconds = physicsStepSeconds;
    }

    @Override
    void build(Bench b, SplittableRandom r, boolean nearFailure) {
        bench = b;
        object = b.addSphereObject("ball", BALL_RADIUS, BALL_MASS, BALL_FRICTION, ROLL_DAMPING_SECONDS,
                physicsStepSeconds);
        double minX = BoundedPushTask.MIN_X;
        double maxX = BoundedPushTask.MAX_X;
        double minY = BoundedPushTask.MIN_Y;
        double maxY = BoundedPushTask.MAX_Y;
        mouthY = uniform(r, -0.10, 0.10);
        goalX = maxX + GOAL_DEPTH / 2;
        goalY = mouthY;
        goalZ = BALL_RADIUS;
        objectMargin = MARGIN;
        regions.add(new Region.Boundary(new double[][] {
            {minX, minY, maxX, minY}, {maxX, minY, maxX, mouthY - MOUTH_HALF_WIDTH},
            {maxX, mouthY + MOUTH_HALF_WIDTH, maxX, maxY}, {maxX, maxY, minX, maxY}, {minX, maxY, minX, minY}}));
        layout.add(LayoutShape.rect("table", 0, 0, WORKSPACE_MAX[0] - WORKSPACE_MIN[0],
                WORKSPACE_MAX[1] - WORKSPACE_MIN[1]));
        layout.add(LayoutShape.rect("boundary", (minX + maxX) / 2, (minY + maxY) / 2, maxX - minX, maxY - minY));
        layout.add(LayoutShape.rect("goal", goalX, goalY, GOAL_DEPTH, 2 * MOUTH_HALF_WIDTH));
        if (!nearFailure) {
            Bench.setPlanarPose(object, uniform(r, -0.15, 0.05), uniform(r, -0.12, 0.12), BALL_RADIUS, 0);
            randomHandStart(r);
        } else {
            int edge = 1 + r.nextInt(3); // -x, +y, -y: edges without the goal
            double[] n = BoundedPushTask.outward(edge);
            double[] p = BoundedPushTask.pointInside(edge, uniform(r, 0.035, 0.065), uniform(r, -1, 1), 0.08);
            double v = uniform(r, 0.04, 0.11);
            Bench.setPlanarPose(object, p[0], p[1], BALL_RADIUS, 0);
            object.body.setLinearVel(n[0] * v, n[1] * v, 0);
            // rolling without slipping: omega = z x v / r
            object.body.setAngularVel(-n[1] * v / BALL_RADIUS, n[0] * v / BALL_RADIUS, 0);
            handBehind(object, BALL_RADIUS, n[0], n[1], v);
        }
    }

    boolean inGoal(double x, double y) {
        return x > BoundedPushTask.MAX_X && x <= BoundedPushTask.MAX_X + GOAL_DEPTH
                && Math.abs(y - mouthY) <= MOUTH_HALF_WIDTH;
    }

    @Override
    boolean goalReached() {
        return inGoal(object.x(), object.y());
    }

    @Override
    boolean positionFailure() {
        return !BoundedPushTask.inside(object.x(), object.y()) && !inGoal(object.x(), object.y());
    }
}
