package io.farl.robot.ros1.bridge;

import io.farl.robot.api.Field;
import io.farl.robot.api.RobotDescription;
import java.util.List;

/**
 * Where a robot's observation vector keeps what the bridge publishes, by field name of its
 * {@link RobotDescription#observationLayout()}: the end-effector position (3 entries, m), joints (one entry each,
 * published under their joint name) and objects (position field of 3 entries, quaternion field of 4, x y z w, or
 * no quaternion field: identity, e.g. for a goal position).
 * The end-effector orientation is published as identity (the FailureBench hand does not rotate).
 */
public record ArmStateLayout(String endEffectorPositionField, List<Joint> joints, List<ObjectFields> objects) {

    /** One joint published in the JointState: its ROS name and the observation field of its position. */
    public record Joint(String name, String positionField) {
    }

    /** The observation fields of one object's pose; {@code quaternionField} null publishes identity. */
    public record ObjectFields(String positionField, String quaternionField) {
    }

    public ArmStateLayout {
        joints = List.copyOf(joints);
        objects = List.copyOf(objects);
        if (endEffectorPositionField == null) {
            throw new IllegalArgumentException("endEffectorPositionField must be given");
        }
    }

    /** Resolves the field names against {@code d}; throws naming the first missing or wrongly sized field. */
    Resolved resolve(RobotDescription d) {
        int ee = offset(d, endEffectorPositionField, 3);
        int[] joint = new int[joints.size()];
        for (int i = 0; i < joint.length; i++) {
            joint[i] = offset(d, joints.get(i).positionField(), 1);
        }
        int[] pos = new int[objects.size()];
        int[] quat = new int[objects.size()];
        for (int i = 0; i < pos.length; i++) {
            pos[i] = offset(d, objects.get(i).positionField(), 3);
            String q = objects.get(i).quaternionField();
            quat[i] = q == null ? -1 : offset(d, q, 4);
        }
        return new Resolved(ee, joint, pos, quat);
    }

    private static int offset(RobotDescription d, String name, int size) {
        Field f = d.observationLayout().stream().filter(x -> x.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(d.name() + " has no observation field " + name));
        if (f.size() != size) {
            throw new IllegalArgumentException("observation field " + name + " has " + f.size() + " entries, "
                    + size + " expected");
        }
        return f.offset();
    }

    /** Offsets into the observation vector; an object quaternion offset of -1 means identity. */
    record Resolved(int endEffector, int[] joints, int[] objectPositions, int[] objectQuaternions) {
    }
}
