package io.farl.controller.loop;

import io.farl.robot.api.Command;
import io.farl.robot.api.Field;
import io.farl.robot.api.LifecycleRobot;
import io.farl.robot.api.Observation;
import io.farl.robot.api.RobotDescription;
import io.farl.robot.api.RobotStatus;
import io.farl.robot.api.Workspace;
import java.util.ArrayList;
import java.util.List;

/**
 * In-process robot for loop tests: the test sets the next observation and read/write statuses; every written
 * command is kept. The hand moves by the commanded velocity unless the test pins it. Public for the tests of the
 * loop's consumers (the operator console).
 */
public final class FakeRobot extends LifecycleRobot {
    public static final long PERIOD = 10_000_000L;
    static final double SPEED = 1.0;
    static final Workspace BOX = new Workspace(-0.5, -0.5, 0.0, 0.5, 0.5, 0.5);

    final List<Command> written = new ArrayList<>();
    private final RobotDescription description = new RobotDescription("fake",
            List.of(new Field("hand_pos", 0, 3, "m"), new Field("gripper_dist", 3, 1, "1")),
            List.of(new Field("delta_pos", 0, 3, "1"), new Field("gripper", 3, 1, "1")),
            new double[] {-1, -1, -1, -1}, new double[] {1, 1, 1, 1}, BOX, SPEED, PERIOD);
    private Observation latest;
    private Observation next;
    private long sequence;
    RobotStatus readStatus = RobotStatus.OK;
    RobotStatus writeStatus = RobotStatus.OK;
    boolean throwOnRead;
    Throwable throwOnWrite;
    Throwable readThrowable;
    int writeCalls;

    @Override
    public RobotDescription description() {
        return description;
    }

    public FakeRobot() {
        configure();
    }

    @Override
    protected void onActivate() {
        latest = null;
    }

    @Override
    protected void onDeactivate() {
        latest = null;
    }

    /** The next read returns a sample taken at {@code stampNanos} with the hand at (x, y, z). */
    public void observe(long stampNanos, double x, double y, double z) {
        next = new Observation(stampNanos, ++sequence, new double[] {x, y, z, 0});
    }

    void observeRaw(Observation observation) {
        next = observation;
    }

    @Override
    protected RobotStatus readActive(long nowNanos, long periodNanos) {
        if (throwOnRead) {
            throw new IllegalStateException("driver bug");
        }
        if (readThrowable instanceof Error e) {
            throw e;
        }
        if (next != null) {
            latest = next;
            next = null;
        }
        return readStatus;
    }

    @Override
    public Observation latest() {
        return latest;
    }

    @Override
    protected RobotStatus writeActive(long nowNanos, long periodNanos, Command command) {
        writeCalls++;
        if (throwOnWrite instanceof RuntimeException e) {
            throw e;
        } else if (throwOnWrite instanceof Error e) {
            throw e;
        }
        written.add(new Command(command.stampNanos(), command.sequence(), command.expiresAtNanos(),
                command.action().clone()));
        return writeStatus;
    }

    /** The gripper observation entry is already in command units here. */
    @Override
    public double measuredGripperCommand(Observation measured) {
        return measured.values()[3];
    }

    /** The next read returns a sample taken at {@code stampNanos} with the hand at (x, y, z), gripper g. */
    void observe(long stampNanos, double x, double y, double z, double g) {
        next = new Observation(stampNanos, ++sequence, new double[] {x, y, z, g});
    }

    Command last() {
        return written.get(written.size() - 1);
    }
}
