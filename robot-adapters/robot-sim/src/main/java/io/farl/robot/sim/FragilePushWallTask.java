package io.farl.robot.sim;

import java.util.SplittableRandom;

/**
 * Fragile push wall: a fragile block is pushed from one side of a wall (a thin box along y, 14-18 cm long) to a
 * target on the other side, so it must travel around one end of the wall. IR failure: the block touches the wall
 * (an ode4j contact between the two). The hand may touch the wall; that is not a failure. Safe: the block's
 * footprint circle keeps {@value #MARGIN} m from the wall. The observation's second object is the wall (centre,
 * identity quaternion).
 */
final class FragilePushWallTask extends TaskModel {

    static final double BLOCK_SIZE = 0.04;
    static final double BLOCK_MASS = 0.1;
    static final double BLOCK_FRICTION = 0.3;
    static final double WALL_THICKNESS = 0.02;
    static final double WALL_HEIGHT = 0.05;
    static final double TARGET_TOLERANCE = 0.03;
    static final double MARGIN = 0.04;
    double wallX;
    double wallY;
    double wallLength;

    FragilePushWallTask() {
        super(TaskId.FRAGILE_PUSH_WALL);
    }

    @Override
    void build(Bench b, SplittableRandom r, boolean nearFailure) {
        bench = b;
        object = b.addBoxObject("block", BLOCK_SIZE, BLOCK_SIZE, BLOCK_SIZE, BLOCK_MASS, BLOCK_FRICTION);
        wallX = uniform(r, -0.03, 0.03);
        wallY = uniform(r, -0.05, 0.05);
        wallLength = uniform(r, 0.14, 0.18);
        second = b.addStaticBox("wall", wallX, wallY, WALL_THICKNESS, wallLength, WALL_HEIGHT);
        regions.add(new Region.Box(wallX, wallY, WALL_THICKNESS, wallLength, WALL_HEIGHT));
        objectMargin = MARGIN;
        goalX = wallX + uniform(r, 0.10, 0.14);
        goalY = wallY + uniform(r, -wallLength / 4, wallLength / 4);
        goalZ = BLOCK_SIZE / 2;
        layout.add(LayoutShape.rect("table", 0, 0, WORKSPACE_MAX[0] - WORKSPACE_MIN[0],
                WORKSPACE_MAX[1] - WORKSPACE_MIN[1]));
        layout.add(LayoutShape.rect("wall", wallX, wallY, WALL_THICKNESS, wallLength));
        layout.add(LayoutShape.circle("target", goalX, goalY, TARGET_TOLERANCE));
        if (!nearFailure) {
            Bench.setPlanarPose(object, wallX - uniform(r, 0.10, 0.14),
                    wallY + uniform(r, -wallLength / 4, wallLength / 4), BLOCK_SIZE / 2, uniform(r, -0.2, 0.2));
            randomHandStart(r);
        } else {
            double side = r.nextBoolean() ? 1 : -1;
            double gap = uniform(r, 0.03, 0.045);
            double x = wallX + side * (WALL_THICKNESS / 2 + object.footprintRadius + gap);
            double y = wallY + uniform(r, -wallLength / 3, wallLength / 3);
            double v = uniform(r, 0.03, 0.08);
            Bench.setPlanarPose(object, x, y, BLOCK_SIZE / 2, uniform(r, -0.15, 0.15));
            object.body.setLinearVel(-side * v, 0, 0);
            handBehind(object, BLOCK_SIZE / 2, -side, 0, v);
        }
    }

    @Override
    boolean goalReached() {
        return goalDistance() < TARGET_TOLERANCE;
    }
}
