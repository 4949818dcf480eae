package io.farl.robot.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The task-specific part of a {@link FailureBenchEnv}: which objects and fixtures the scene holds, how an episode's
 * layout is drawn from its seed, the goal, the IR-failure predicate and the failure regions behind the
 * {@code safe} signal. One instance per episode, built on a fresh {@link Bench}.
 */
abstract class TaskModel {

    static final double[] WORKSPACE_MIN = {-0.35, -0.30, 0.005};
    static final double[] WORKSPACE_MAX = {0.35, 0.30, 0.25};
    /** Hand speed at action magnitude 1, m/s. */
    static final double MAX_SPEED = 0.2;
    /** Tool-centre height at which the fingers push objects resting on the table. */
    static final double PUSH_Z = 0.01;
    /** Radius of one fingertip: the pusher's reach beyond its contact line along x. */
    static final double PUSHER_HALF = Bench.FINGER_RADIUS;
    /** Hand height at episode start. */
    static final double START_Z = 0.16;

    final TaskId id;
    Bench bench;
    Bench.Item object;
    /** The fixture or obstacle reported as the observation's second object; null when the task has none. */
    Bench.Item second;
    double goalX;
    double goalY;
    double goalZ;
    final List<LayoutShape> layout = new ArrayList<>();
    final List<Region> regions = new ArrayList<>();
    /** Clearance the object must keep from every failure region to be safe. */
    double objectMargin;
    /** Clearance the hand must keep from every failure region to be safe; ignored when {@link #handCounts} false. */
    double handMargin;
    boolean handCounts;
    /** Hand velocity implied at a near-failure start, used to synthesise the previous observation frame. */
    double handHintVx;
    double handHintVy;

    TaskModel(TaskId id) {
        this.id = id;
    }

    static TaskModel create(TaskId id, double physicsStepSeconds) {
        return switch (id) {
            case BOUNDED_PUSH -> new BoundedPushTask();
            case BOUNDED_SOCCER -> new BoundedSoccerTask(physicsStepSeconds);
            case FRAGILE_PUSH_WALL -> new FragilePushWallTask();
            case OBSTRUCTED_PUSH -> new ObstructedPushTask();
            case DISTURBED_PUSH -> new DisturbedPushTask();
        };
    }

    /** Places objects, fixtures and hand on {@code bench} for a task episode or a near-failure start. */
    abstract void build(Bench bench, SplittableRandom random, boolean nearFailure);

    /** Sparse success of a task episode, checked after every physics sub-step. */
    abstract boolean goalReached();

    /** Position-based part of the IR-failure predicate (boundaries), checked after every physics sub-step. */
    boolean positionFailure() {
        return false;
    }

    /** Contact-based part of the IR-failure predicate, latched by the bench during the control step. */
    boolean contactFailure() {
        return bench.objectTouchedHazard() || bench.handTouchedHazard();
    }

    /** Moves anything the task moves by itself (the wandering obstacle) before a control step. */
    void beforeControlStep(SplittableRandom motion, double periodSeconds) {
    }

    /** Brings derived state (moving regions) up to date after a control step's physics. */
    void afterControlStep() {
    }

    /** Distance from the object to the goal that the dense reward shapes, metres. */
    double goalDistance() {
        return Math.hypot(object.x() - goalX, object.y() - goalY);
    }

    /**
     * Smallest margin slack over all (body, region) pairs: clearance minus the distance covered in the look-ahead
     * time at the current approach speed, minus the body's margin. Safe when non-negative.
     */
    final double safetySlack(double lookaheadSeconds) {
        double slack = Double.POSITIVE_INFINITY;
        double[] toward = new double[2];
        for (Region region : regions) {
            double g = region.gap(object.x(), object.y(), object.footprintRadius, toward);
            double approach = (object.vx() - region.vx()) * toward[0] + (object.vy() - region.vy()) * toward[1];
            slack = Math.min(slack, g - Math.max(0, approach) * lookaheadSeconds - objectMargin);
            if (handCounts) {
                double hg = region.gap(bench.handX(), bench.handY(), Bench.HAND_RADIUS, toward);
                double above = bench.handZ() - region.top();
                double ha = (bench.handVx() - region.vx()) * toward[0] + (bench.handVy() - region.vy()) * toward[1];
                double handSlack = hg - Math.max(0, ha) * lookaheadSeconds - handMargin;
                slack = Math.min(slack, Math.max(handSlack, above - handMargin));
            }
        }
        return slack;
    }

    /**
     * Adds the fragile block and draws a push lane across the table (start on the left, goal on the right), in the
     * order both obstacle tasks rely on for their seeds.
     *
     * @return the block's start position x, y
     */
    final double[] blockLane(Bench b, SplittableRandom r) {
        bench = b;
        object = b.addBoxObject("block", FragilePushWallTask.BLOCK_SIZE, FragilePushWallTask.BLOCK_SIZE,
                FragilePushWallTask.BLOCK_SIZE, FragilePushWallTask.BLOCK_MASS, FragilePushWallTask.BLOCK_FRICTION);
        double sx = uniform(r, -0.22, -0.14);
        double sy = uniform(r, -0.08, 0.08);
        goalX = uniform(r, 0.14, 0.22);
        goalY = uniform(r, -0.08, 0.08);
        goalZ = FragilePushWallTask.BLOCK_SIZE / 2;
        return new double[] {sx, sy};
    }

    /** Dense shaped reward in [0, 1]: reaching the object and bringing it to the goal. */
    final double shapedReward() {
        return potential(bench.handX(), bench.handY(), bench.handZ(), object.x(), object.y(), object.z(), goalX,
                goalY);
    }

    /** The shaped potential of a hand position, an object position and the goal's planar position. */
    static double potential(double hx, double hy, double hz, double ox, double oy, double oz, double gx, double gy) {
        double reach = Math.sqrt(sq(hx - ox) + sq(hy - oy) + sq(hz - oz));
        return 0.2 * (1 - Math.tanh(10 * reach)) + 0.8 * (1 - Math.tanh(5 * Math.hypot(ox - gx, oy - gy)));
    }

    static double sq(double v) {
        return v * v;
    }

    static double uniform(SplittableRandom r, double lo, double hi) {
        return lo + (hi - lo) * r.nextDouble();
    }

    /** Puts the hand just behind a body, on the side opposite to the unit direction (ux, uy), moving along it. */
    final void handBehind(Bench.Item item, double support, double ux, double uy, double speed) {
        double d = support + pusherSupport(ux, uy) + 0.003;
        bench.placeHand(item.x() - ux * d, item.y() - uy * d, PUSH_Z, 0);
        handHintVx = ux * speed;
        handHintVy = uy * speed;
    }

    /** Reach of the closed fingers (two tips side by side along y) in planar direction (ux, uy), m. */
    static double pusherSupport(double ux, double uy) {
        return Bench.FINGER_RADIUS * (1 + Math.abs(uy));
    }

    /** Places the hand at a random start pose above the table, gripper closed. */
    final void randomHandStart(SplittableRandom r) {
        bench.placeHand(uniform(r, -0.12, 0.12), uniform(r, -0.12, 0.12), START_Z, 0);
        handHintVx = 0;
        handHintVy = 0;
    }
}
