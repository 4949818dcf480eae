package io.farl.robot.sim;

import java.util.SplittableRandom;

/**
 * Disturbed push: a block is pushed to a goal while a box obstacle ({@value #OBSTACLE_SIZE} m square,
 * {@value #OBSTACLE_HEIGHT} m tall) wanders over the middle of the table: constant speed drawn per episode
 * (2-5 cm/s), a new random heading every 0.8-2 s, reflected at the edges of its area. Like a person moving it
 * around, it yields: a move that would bring it closer than {@value #YIELD_GAP} m to the block, or to the hand
 * while the hand is low, is reversed (or cancelled), so contact only happens when the arm drives into it.
 * IR failure: the hand or the block touches the obstacle (ode4j contacts). Safe: both keep {@value #MARGIN} m from
 * it, counting relative approach speed. The observation's second object is the obstacle.
 */
final class DisturbedPushTask extends TaskModel {

    static final double OBSTACLE_SIZE = 0.05;
    static final double OBSTACLE_HEIGHT = 0.08;
    static final double MARGIN = 0.03;
    static final double YIELD_GAP = 0.08;
    static final double AREA_MIN_X = -0.12;
    static final double AREA_MAX_X = 0.12;
    static final double AREA_MIN_Y = -0.20;
    static final double AREA_MAX_Y = 0.20;
    private Region.Box box;
    private double speed;
    private double heading;
    private int stepsToTurn;

    DisturbedPushTask() {
        super(TaskId.DISTURBED_PUSH);
    }

    @Override
    void build(Bench b, SplittableRandom r, boolean nearFailure) {
        double[] start = blockLane(b, r);
        double sx = start[0];
        double sy = start[1];
        double dx = goalX - sx;
        double dy = goalY - sy;
        double len = Math.hypot(dx, dy);
        double side = r.nextBoolean() ? 1 : -1;
        double lateral = side * uniform(r, 0.07, 0.14);
        double along = uniform(r, -0.05, 0.05);
        double ox = clamp((sx + goalX) / 2 + dx / len * along - dy / len * lateral, AREA_MIN_X, AREA_MAX_X);
        double oy = clamp((sy + goalY) / 2 + dy / len * along + dx / len * lateral, AREA_MIN_Y, AREA_MAX_Y);
        second = b.addKinematicBox("obstacle", ox, oy, OBSTACLE_SIZE, OBSTACLE_SIZE, OBSTACLE_HEIGHT);
        b.handHazardContactIsFailure(true);
        box = new Region.Box(ox, oy, OBSTACLE_SIZE, OBSTACLE_SIZE, OBSTACLE_HEIGHT);
        regions.add(box);
        speed = uniform(r, 0.02, 0.05);
        heading = uniform(r, 0, 2 * Math.PI);
        stepsToTurn = 8 + r.nextInt(13);
        objectMargin = MARGIN;
        handMargin = MARGIN;
        handCounts = true;
        layout.add(LayoutShape.rect("table", 0, 0, WORKSPACE_MAX[0] - WORKSPACE_MIN[0],
                WORKSPACE_MAX[1] - WORKSPACE_MIN[1]));
        layout.add(LayoutShape.rect("obstacle", ox, oy, OBSTACLE_SIZE, OBSTACLE_SIZE));
        layout.add(LayoutShape.circle("target", goalX, goalY, FragilePushWallTask.TARGET_TOLERANCE));
        if (!nearFailure) {
            Bench.setPlanarPose(object, sx, sy, FragilePushWallTask.BLOCK_SIZE / 2, uniform(r, -0.2, 0.2));
            randomHandStart(r);
        } else {
            ObstructedPushTask.nearHazard(this, r, (x, y, radius, toward) -> box.gap(x, y, radius, toward), sx, sy);
        }
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    @Override
    void beforeControlStep(SplittableRandom motion, double period) {
        syncRegion();
        if (--stepsToTurn <= 0) {
            heading = motion.nextDouble() * 2 * Math.PI;
            stepsToTurn = 8 + motion.nextInt(13);
        }
        double vx = Math.cos(heading) * speed;
        double vy = Math.sin(heading) * speed;
        double nx = box.cx + vx * period;
        double ny = box.cy + vy * period;
        if (nx < AREA_MIN_X || nx > AREA_MAX_X) {
            vx = -vx;
        }
        if (ny < AREA_MIN_Y || ny > AREA_MAX_Y) {
            vy = -vy;
        }
        if (closesIn(vx, vy, period)) {
            vx = -vx;
            vy = -vy;
            if (closesIn(vx, vy, period)) {
                vx = 0;
                vy = 0;
            }
        }
        // never leave the area, whatever the reversals above decided
        if ((box.cx + vx * period < AREA_MIN_X && vx < 0) || (box.cx + vx * period > AREA_MAX_X && vx > 0)) {
            vx = 0;
        }
        if ((box.cy + vy * period < AREA_MIN_Y && vy < 0) || (box.cy + vy * period > AREA_MAX_Y && vy > 0)) {
            vy = 0;
        }
        if (vx != 0 || vy != 0) {
            heading = Math.atan2(vy, vx);
        }
        box.vx = vx;
        box.vy = vy;
        Bench.setPlanarVelocity(second, vx, vy);
    }

    @Override
    void afterControlStep() {
        syncRegion();
    }

    private void syncRegion() {
        box.cx = second.x();
        box.cy = second.y();
    }

    /** Whether moving at (vx, vy) for one period brings the obstacle within the yield gap of block or low hand. */
    private boolean closesIn(double vx, double vy, double period) {
        double[] toward = new double[2];
        double cx = box.cx;
        double cy = box.cy;
        Region.Box moved = new Region.Box(cx + vx * period, cy + vy * period, OBSTACLE_SIZE, OBSTACLE_SIZE,
                OBSTACLE_HEIGHT);
        double now = box.gap(object.x(), object.y(), object.footprintRadius, toward);
        double next = moved.gap(object.x(), object.y(), object.footprintRadius, toward);
        if (next < YIELD_GAP && next < now) {
            return true;
        }
        if (bench.handZ() < OBSTACLE_HEIGHT + YIELD_GAP / 2) {
            now = box.gap(bench.handX(), bench.handY(), Bench.HAND_RADIUS, toward);
            next = moved.gap(bench.handX(), bench.handY(), Bench.HAND_RADIUS, toward);
            return next < YIELD_GAP && next < now;
        }
        return false;
    }

    @Override
    boolean goalReached() {
        return goalDistance() < FragilePushWallTask.TARGET_TOLERANCE;
    }
}
