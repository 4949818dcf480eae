package io.farl.robot.ros1;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.farl.robot.api.Command;
import io.farl.robot.api.Observation;
import io.farl.robot.api.RobotStatus;
import io.farl.robot.ros1.msg.RosTypes.Header;
import io.farl.robot.ros1.msg.RosTypes.JointState;
import io.farl.robot.ros1.msg.RosTypes.Pose;
import io.farl.robot.ros1.msg.RosTypes.PoseStamped;
import io.farl.robot.ros1.msg.RosTypes.Quaternion;
import io.farl.robot.ros1.msg.RosTypes.TwistStamped;
import io.farl.robot.ros1.msg.RosTypes.Vector3;
import java.util.List;
import org.junit.jupiter.api.Test;

class ObservationAssemblerTest {
    private static final Header H = new Header(0, 0, "base");
    private static final long MAX_AGE = 100;

    private static PoseStamped pose(double x) {
        return new PoseStamped(H, new Pose(new Vector3(x, 0.5, 0.25), Quaternion.IDENTITY));
    }

    private static JointState joints(double... pos) {
        return new JointState(H, List.of("j2", "j1"), pos, new double[] {0.2, 0.1}, new double[0]);
    }

    @Test
    void shouldAnswerNoDataUntilEveryTopicHasArrived() {
        ObservationAssembler a = new ObservationAssembler(List.of("j1", "j2"), 1);
        assertEquals(RobotStatus.NO_DATA, a.assemble(0, MAX_AGE));
        a.onEndEffector(pose(1), 0);
        a.onJointState(joints(2, 1), 0);
        assertEquals(RobotStatus.NO_DATA, a.assemble(0, MAX_AGE));
        a.onObject(0, pose(3), 0);
        assertEquals(RobotStatus.OK, a.assemble(10, MAX_AGE));
        assertArrayEquals(new double[] {1, 0.5, 0.25, 0, 0, 0, 1, 1, 2, 0.1, 0.2, 3, 0.5, 0.25, 0, 0, 0, 1},
                a.latest().values());
    }

    @Test
    void shouldStampWithTheOldestPartAndTurnStale() {
        ObservationAssembler a = new ObservationAssembler(List.of(), 1);
        a.onEndEffector(pose(1), 50);
        a.onObject(0, pose(2), 20);
        assertEquals(RobotStatus.OK, a.assemble(100, MAX_AGE));
        assertEquals(20, a.latest().stampNanos());
        assertEquals(RobotStatus.STALE, a.assemble(121, MAX_AGE));
    }

    @Test
    void shouldStartANewObservationOnlyWhenEveryPartHasArrivedAgain() {
        ObservationAssembler a = new ObservationAssembler(List.of("j1", "j2"), 1);
        a.onEndEffector(pose(1), 0);
        a.onJointState(joints(2, 1), 1);
        a.onObject(0, pose(3), 2);
        assertEquals(RobotStatus.OK, a.assemble(10, MAX_AGE));
        long first = a.latest().sequence();
        assertEquals(RobotStatus.OK, a.assemble(20, MAX_AGE));
        assertEquals(first, a.latest().sequence(), "no new state: the same observation");
        a.onEndEffector(pose(4), 30);
        a.onJointState(joints(2, 1), 31);
        assertEquals(RobotStatus.OK, a.assemble(40, MAX_AGE));
        assertEquals(first, a.latest().sequence(), "half a state: still the same observation");
        assertEquals(1.0, a.latest().values()[0]);
        a.onObject(0, pose(5), 50);
        assertEquals(RobotStatus.OK, a.assemble(60, MAX_AGE));
        assertEquals(first + 1, a.latest().sequence());
        assertEquals(4.0, a.latest().values()[0]);
        assertEquals(30, a.latest().stampNanos(), "stamped with its oldest part");
        assertEquals(RobotStatus.STALE, a.assemble(131, MAX_AGE), "an old observation turns stale");
        assertEquals(first + 1, a.latest().sequence());
    }

    @Test
    void shouldOfferTheObservationWhenTheLastPartOfAStateArrives() {
        ObservationAssembler a = new ObservationAssembler(List.of(), 1);
        a.onEndEffector(pose(1), 0);
        assertNull(a.offerComplete(0, MAX_AGE));
        a.onObject(0, pose(2), 5);
        Observation first = a.offerComplete(5, MAX_AGE);
        assertEquals(0, first.stampNanos());
        assertNull(a.offerComplete(6, MAX_AGE), "nothing new since");
        assertEquals(RobotStatus.OK, a.assemble(7, MAX_AGE));
        assertSame(first, a.latest(), "the loop's read finds the offered observation");
        a.onObject(0, pose(3), 8);
        assertNull(a.offerComplete(8, MAX_AGE), "the end effector has not arrived again");
        a.onEndEffector(pose(4), 9);
        Observation second = a.offerComplete(9, MAX_AGE);
        assertEquals(first.sequence() + 1, second.sequence());
        assertEquals(8, second.stampNanos());
    }

    @Test
    void shouldFaultOnMissingJointOrNonFiniteValue() {
        ObservationAssembler a = new ObservationAssembler(List.of("j1", "j3"), 0);
        a.onEndEffector(pose(1), 0);
        a.onJointState(joints(2, 1), 0);
        assertEquals(RobotStatus.FAULT, a.assemble(0, MAX_AGE));
        assertTrue(a.lastFault().contains("j3"), a.lastFault());
        ObservationAssembler b = new ObservationAssembler(List.of(), 0);
        b.onEndEffector(pose(Double.NaN), 0);
        assertEquals(RobotStatus.FAULT, b.assemble(0, MAX_AGE));
        assertNull(b.latest());
    }

    @Test
    void shouldForgetEverythingOnClear() {
        ObservationAssembler a = new ObservationAssembler(List.of(), 0);
        a.onEndEffector(pose(1), 0);
        assertEquals(RobotStatus.OK, a.assemble(0, MAX_AGE));
        a.clear();
        assertNull(a.latest());
        assertEquals(RobotStatus.NO_DATA, a.assemble(0, MAX_AGE));
    }

    @Test
    void shouldMapActionsToTwistAndEquilibriumPose() {
        CommandMapper m = new CommandMapper(0.5, "base");
        Command c = new Command(0, 42, 10, new double[] {1, -0.5, 0, 0.3});
        TwistStamped t = m.twist(c, 7);
        assertEquals(new Vector3(0.5, -0.25, 0), t.twist().linear());
        assertEquals(Vector3.ZERO, t.twist().angular());
        assertEquals(42, t.header().seq());
        assertEquals(7, t.header().stampNanos());
        PoseStamped p = m.pose(c, new Pose(new Vector3(1, 1, 1), Quaternion.IDENTITY), 10_000_000L, 7);
        assertEquals(1.005, p.pose().position().x(), 1e-12);
        assertEquals(0.9975, p.pose().position().y(), 1e-12);
        assertEquals(Quaternion.IDENTITY, p.pose().orientation());
    }
}
