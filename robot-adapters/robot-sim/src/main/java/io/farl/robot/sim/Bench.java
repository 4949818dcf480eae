package io.farl.robot.sim;

import java.util.ArrayList;
import java.util.List;

import org.ode4j.math.DQuaternionC;
import org.ode4j.math.DVector3C;
import org.ode4j.ode.DBody;
import org.ode4j.ode.DBox;
import org.ode4j.ode.DCylinder;
import org.ode4j.ode.DContact;
import org.ode4j.ode.DContactBuffer;
import org.ode4j.ode.DGeom;
import org.ode4j.ode.DJoint;
import org.ode4j.ode.DJointGroup;
import org.ode4j.ode.DMass;
import org.ode4j.ode.DSpace;
import org.ode4j.ode.DWorld;
import org.ode4j.ode.OdeConstants;
import org.ode4j.ode.OdeHelper;

/**
 * The rigid-body scene of one episode: an ode4j world with the table plane, the kinematic gripper and the task's
 * objects and fixtures. Built fresh at every reset so no state leaks between episodes; owned by one
 * {@link FailureBenchEnv} and closed with it.
 *
 * <p>Determinism: the dense stepper ({@code DWorld.step}) is used because the iterative one reorders constraints
 * with a JVM-global random generator; the simple space visits geoms in creation order.
 *
 * <p>Frames: z up, table surface at z = 0, metres. The hand position is the tool centre point at the bottom of
 * the fingers; the fingers reach 5 cm up from it and the palm sits above them.
 */
final class Bench implements AutoCloseable {

    /** Role of a geom, deciding contact handling and which contacts are failures. */
    enum Role {
        TABLE, HAND, OBJECT, HAZARD
    }

    /** A simulated item: a dynamic or kinematic body with one geom, or a static geom (body null). */
    static final class Item {
        final String name;
        final DBody body;
        final DGeom geom;
        final double footprintRadius;
        final double height;
        final double tableFriction;
        double staticX;
        double staticY;
        double staticZ;

        Item(String name, DBody body, DGeom geom, double footprintRadius, double height, double tableFriction) {
            this.name = name;
            this.body = body;
            this.geom = geom;
            this.footprintRadius = footprintRadius;
            this.height = height;
            this.tableFriction = tableFriction;
        }

        double x() {
            return body != null ? body.getPosition().get0() : staticX;
        }

        double y() {
            return body != null ? body.getPosition().get1() : staticY;
        }

        double z() {
            return body != null ? body.getPosition().get2() : staticZ;
        }

        double vx() {
            return body != null ? body.getLinearVel().get0() : 0;
        }

        double vy() {
            return body != null ? body.getLinearVel().get1() : 0;
        }

        /** Writes x, y, z, qw, qx, qy, qz at {@code offset}. */
        void pose(double[] out, int offset) {
            out[offset] = x();
            out[offset + 1] = y();
            out[offset + 2] = z();
            if (body != null) {
                DQuaternionC q = body.getQuaternion();
                out[offset + 3] = q.get0();
                out[offset + 4] = q.get1();
                out[offset + 5] = q.get2();
                out[offset + 6] = q.get3();
            } else {
                out[offset + 3] = 1;
                out[offset + 4] = 0;
                out[offset + 5] = 0;
                out[offset + 6] = 0;
            }
        }
    }

    static final double GRAVITY = 9.81;
    /** Fingers are upright cylinders: round tips push objects along the line through their centres. */
    static final double FINGER_RADIUS = 0.01;
    static final double FINGER_Z = 0.05;
    static final double MAX_GAP = 0.04;
    static final double GAP_SPEED = 0.2;
    static final double PALM_X = 0.03;
    static final double PALM_Y = MAX_GAP + 2 * FINGER_RADIUS;
    static final double PALM_Z = 0.02;
    /**
     * Radius of the closed hand's footprint on the table (palm half-diagonal; the closed fingers reach 2 cm), for
     * clearance checks.
     */
    static final double HAND_RADIUS = Math.hypot(PALM_X / 2, PALM_Y / 2);
    /** Height of the top of the palm above the tool centre point. */
    static final double HAND_HEIGHT = FINGER_Z + PALM_Z;
    static final double HAND_OBJECT_FRICTION = 0.3;
    static final double OBJECT_HAZARD_FRICTION = 0.3;

    private static final int MAX_CONTACTS = 8;

    static {
        OdeHelper.initODE2(0);
    }

    private final DWorld world;
    private final DSpace space;
    private final DJointGroup contactGroup;
    private final DContactBuffer contactBuffer = new DContactBuffer(MAX_CONTACTS);
    private final DBody hand;
    private final DCylinder fingerLeft;
    private final DCylinder fingerRight;
    private final List<Item> objects = new ArrayList<>();
    private final List<Item> hazards = new ArrayList<>();
    private final double[] workspaceMin;
    private final double[] workspaceMax;
    private final double maxSpeed;
    private double gap;
    private final double[] handVelocity = new double[3];
    private boolean objectTouchedHazard;
    private boolean handTouchedHazard;
    private boolean handHazardContactIsFailure;

    Bench(double[] workspaceMin, double[] workspaceMax, double maxSpeed) {
        this.workspaceMin = workspaceMin.clone();
        this.workspaceMax = workspaceMax.clone();
        this.maxSpeed = maxSpeed;
        world = OdeHelper.createWorld();
        world.setGravity(0, 0, -GRAVITY);
        world.setERP(0.2);
        world.setCFM(1e-5);
        world.setContactSurfaceLayer(0.0005);
        world.setContactMaxCorrectingVel(0.5);
        space = OdeHelper.createSimpleSpace();
        contactGroup = OdeHelper.createJointGroup();
        DGeom table = OdeHelper.createPlane(space, 0, 0, 1, 0);
        table.setData(Role.TABLE);
        hand = OdeHelper.createBody(world);
        hand.setKinematic();
        DBox palm = OdeHelper.createBox(space, PALM_X, PALM_Y, PALM_Z);
        palm.setData(Role.HAND);
        palm.setBody(hand);
        palm.setOffsetPosition(0, 0, FINGER_Z + PALM_Z / 2);
        fingerLeft = OdeHelper.createCylinder(space, FINGER_RADIUS, FINGER_Z);
        fingerLeft.setData(Role.HAND);
        fingerLeft.setBody(hand);
        fingerRight = OdeHelper.createCylinder(space, FINGER_RADIUS, FINGER_Z);
        fingerRight.setData(Role.HAND);
        fingerRight.setBody(hand);
        setGap(0);
    }

    // ---- building -------------------------------------------------------------------------------------------

    void placeHand(double x, double y, double z, double opening) {
        hand.setPosition(clampAxis(0, x), clampAxis(1, y), clampAxis(2, z));
        hand.setLinearVel(0, 0, 0);
        setGap(Math.max(0, Math.min(1, opening)) * MAX_GAP);
    }

    Item addBoxObject(String name, double lx, double ly, double lz, double mass, double tableFriction) {
        DBody body = OdeHelper.createBody(world);
        DMass m = OdeHelper.createMass();
        m.setBoxTotal(mass, lx, ly, lz);
        body.setMass(m);
        DGeom geom = OdeHelper.createBox(space, lx, ly, lz);
        return addObject(name, body, geom, Math.hypot(lx / 2, ly / 2), lz, tableFriction);
    }

    Item addCylinderObject(String name, double radius, double length, double mass, double tableFriction) {
        DBody body = OdeHelper.createBody(world);
        DMass m = OdeHelper.createMass();
        m.setCylinderTotal(mass, 3, radius, length);
        body.setMass(m);
        DGeom geom = OdeHelper.createCylinder(space, radius, length);
        return addObject(name, body, geom, radius, length, tableFriction);
    }

    Item addSphereObject(String name, double radius, double mass, double tableFriction, double dampingTimeSeconds,
            double physicsStepSeconds) {
        DBody body = OdeHelper.createBody(world);
        DMass m = OdeHelper.createMass();
        m.setSphereTotal(mass, radius);
        body.setMass(m);
        // Rolling resistance of a real surface, as an exponential decay of both velocities per sub-step.
        double scale = physicsStepSeconds / dampingTimeSeconds;
        body.setDamping(scale, scale);
        body.setLinearDampingThreshold(0);
        body.setAngularDampingThreshold(0);
        DGeom geom = OdeHelper.createSphere(space, radius);
        return addObject(name, body, geom, radius, 2 * radius, tableFriction);
    }

    private Item addObject(String name, DBody body, DGeom geom, double radius, double height, double friction) {
        body.setAutoDisableFlag(false);
        geom.setBody(body);
        Item item = new Item(name, body, geom, radius, height, friction);
        geom.setData(item);
        objects.add(item);
        return item;
    }

    /** A fixed box fixture resting on the table (wall). */
    Item addStaticBox(String name, double x, double y, double lx, double ly, double lz) {
        DGeom geom = OdeHelper.createBox(space, lx, ly, lz);
        geom.setPosition(x, y, lz / 2);
        Item item = new Item(name, null, geom, Math.hypot(lx / 2, ly / 2), lz, 0);
        item.staticX = x;
        item.staticY = y;
        item.staticZ = lz / 2;
        return addHazard(item);
    }

    /** A fixed upright cylinder resting on the table (vase). */
    Item addStaticCylinder(String name, double x, double y, double radius, double length) {
        DGeom geom = OdeHelper.createCylinder(space, radius, length);
        geom.setPosition(x, y, length / 2);
        Item item = new Item(name, null, geom, radius, length, 0);
        item.staticX = x;
        item.staticY = y;
        item.staticZ = length / 2;
        return addHazard(item);
    }

    /** A kinematic box that moves only as commanded (the wandering obstacle). */
    Item addKinematicBox(String name, double x, double y, double lx, double ly, double lz) {
        DBody body = OdeHelper.createBody(world);
        body.setKinematic();
        body.setPosition(x, y, lz / 2 + 0.001);
        DGeom geom = OdeHelper.createBox(space, lx, ly, lz);
        geom.setBody(body);
        Item item = new Item(name, body, geom, Math.hypot(lx / 2, ly / 2), lz, 0);
        return addHazard(item);
    }

    private Item addHazard(Item item) {
        item.geom.setData(item);
        hazards.add(item);
        return item;
    }

    /** Whether the hand touching a hazard counts as a failure (vase, obstacle) or not (wall). */
    void handHazardContactIsFailure(boolean value) {
        handHazardContactIsFailure = value;
    }

    static void setPlanarPose(Item item, double x, double y, double z, double yaw) {
        item.body.setPosition(x, y, z);
        item.body.setQuaternion(new org.ode4j.math.DQuaternion(Math.cos(yaw / 2), 0, 0, Math.sin(yaw / 2)));
        item.body.setLinearVel(0, 0, 0);
        item.body.setAngularVel(0, 0, 0);
    }

    // ---- stepping -------------------------------------------------------------------------------------------

    /** Clears the contact flags; call before the sub-steps of a control step. */
    void clearContactFlags() {
        objectTouchedHazard = false;
        handTouchedHazard = false;
    }

    /**
     * Sets the hand's velocity for the coming sub-steps from a normalised action: {@code action * maxSpeed} per
     * axis, cut so that the hand stays inside the workspace. The gripper entry sets the target opening:
     * -1 fully open, +1 closed.
     */
    void command(double[] action) {
        for (int i = 0; i < 3; i++) {
            handVelocity[i] = Math.max(-1, Math.min(1, action[i])) * maxSpeed;
        }
        targetGap = (1 - Math.max(-1, Math.min(1, action[3]))) / 2 * MAX_GAP;
    }

    private double targetGap;

    void subStep(double dt) {
        DVector3C p = hand.getPosition();
        double[] v = new double[3];
        for (int i = 0; i < 3; i++) {
            double next = p.get(i) + handVelocity[i] * dt;
            double clamped = clampAxis(i, next);
            v[i] = (clamped - p.get(i)) / dt;
        }
        hand.setLinearVel(v[0], v[1], v[2]);
        double maxChange = GAP_SPEED * dt;
        setGap(gap + Math.max(-maxChange, Math.min(maxChange, targetGap - gap)));
        space.collide(null, this::nearCallback);
        world.step(dt);
        contactGroup.empty();
        // Kinematic bodies integrate their velocity; pin the result to the workspace against round-off.
        DVector3C q = hand.getPosition();
        hand.setPosition(clampAxis(0, q.get0()), clampAxis(1, q.get1()), clampAxis(2, q.get2()));
    }

    /** Moves a kinematic hazard with this planar velocity for the coming sub-steps. */
    static void setPlanarVelocity(Item item, double vx, double vy) {
        item.body.setLinearVel(vx, vy, 0);
    }

    private double clampAxis(int axis, double value) {
        return Math.max(workspaceMin[axis], Math.min(workspaceMax[axis], value));
    }

    private void setGap(double newGap) {
        gap = newGap;
        double offsetY = newGap / 2 + FINGER_RADIUS;
        fingerLeft.setOffsetPosition(0, offsetY, FINGER_Z / 2);
        fingerRight.setOffsetPosition(0, -offsetY, FINGER_Z / 2);
    }

    private void nearCallback(Object data, DGeom g1, DGeom g2) {
        Object d1 = g1.getData();
        Object d2 = g2.getData();
        Role r1 = roleOf(d1);
        Role r2 = roleOf(d2);
        boolean handHazard = (r1 == Role.HAND && r2 == Role.HAZARD) || (r1 == Role.HAZARD && r2 == Role.HAND);
        boolean objectHazard = (r1 == Role.OBJECT && r2 == Role.HAZARD) || (r1 == Role.HAZARD && r2 == Role.OBJECT);
        boolean dynamic1 = r1 == Role.OBJECT;
        boolean dynamic2 = r2 == Role.OBJECT;
        if (!dynamic1 && !dynamic2 && !(handHazard && handHazardContactIsFailure)) {
            return; // table, hand, fixtures: none of them reacts to the others
        }
        int n = OdeHelper.collide(g1, g2, MAX_CONTACTS, contactBuffer.getGeomBuffer());
        if (n == 0) {
            return;
        }
        if (handHazard) {
            handTouchedHazard = true;
            return; // the hand is position-controlled and fixtures do not move: nothing to resolve
        }
        if (objectHazard) {
            objectTouchedHazard = true;
        }
        double mu = friction(r1, d1, r2, d2);
        for (int i = 0; i < n; i++) {
            DContact c = contactBuffer.get(i);
            c.surface.mode = OdeConstants.dContactApprox1 | OdeConstants.dContactSoftCFM;
            c.surface.mu = mu;
            c.surface.soft_cfm = 1e-5;
            DJoint j = OdeHelper.createContactJoint(world, contactGroup, c);
            j.attach(g1.getBody(), g2.getBody());
        }
    }

    private static Role roleOf(Object data) {
        if (data instanceof Role r) {
            return r;
        }
        return data instanceof Item item && item.body != null && !item.body.isKinematic() ? Role.OBJECT
                : Role.HAZARD;
    }

    private static double friction(Role r1, Object d1, Role r2, Object d2) {
        if (r1 == Role.TABLE) {
            return ((Item) d2).tableFriction;
        }
        if (r2 == Role.TABLE) {
            return ((Item) d1).tableFriction;
        }
        if (r1 == Role.HAND || r2 == Role.HAND) {
            return HAND_OBJECT_FRICTION;
        }
        return OBJECT_HAZARD_FRICTION;
    }

    // ---- reading --------------------------------------------------------------------------------------------

    double handX() {
        return hand.getPosition().get0();
    }

    double handY() {
        return hand.getPosition().get1();
    }

    double handZ() {
        return hand.getPosition().get2();
    }

    double handVx() {
        return hand.getLinearVel().get0();
    }

    double handVy() {
        return hand.getLinearVel().get1();
    }

    /** Finger opening as a fraction of the widest gap, 0 closed .. 1 open. */
    double opening() {
        return gap / MAX_GAP;
    }

    List<Item> objects() {
        return objects;
    }

    List<Item> hazards() {
        return hazards;
    }

    boolean objectTouchedHazard() {
        return objectTouchedHazard;
    }

    boolean handTouchedHazard() {
        return handTouchedHazard;
    }

    @Override
    public void close() {
        contactGroup.destroy();
        space.destroy();
        world.destroy();
    }
}
