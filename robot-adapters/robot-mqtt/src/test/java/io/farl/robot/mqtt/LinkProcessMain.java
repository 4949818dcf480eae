package io.farl.robot.mqtt;

import java.util.concurrent.locks.LockSupport;

import io.farl.robot.api.Command;
import io.farl.robot.api.RobotStatus;

/**
 * One end of the link in its own JVM, for the process-kill tests: {@code controller URI ROBOT} writes long-lived
 * commands at 500 Hz; {@code bridge URI ROBOT} runs a bridge around a {@link FakeArm}. Prints READY once working and
 * runs until killed.
 */
public final class LinkProcessMain {
    private static final long MS = 1_000_000L;

    private LinkProcessMain() {
    }

    public static void main(String[] args) {
        MqttLinkConfig config = MqttLinkConfig.of(args[1], args[2]);
        if (args[0].equals("bridge")) {
            MqttRobotBridge bridge = new MqttRobotBridge(config, new FakeArm(),
                    new MqttRobotBridge.Timing(100 * MS, 5 * MS, 1 * MS), System::nanoTime);
            bridge.start();
            while (!bridge.linkUp()) {
                LockSupport.parkNanos(MS);
            }
            System.out.println("READY");
            while (true) {
                LockSupport.parkNanos(1000 * MS);
            }
        }
        MqttRobot robot = new MqttRobot(config, TestRobots.description(args[2]), 50 * MS, System::nanoTime);
        robot.configure();
        robot.activate();
        boolean ready = false;
        for (long i = 0;; i++) {
            long now = System.nanoTime();
            robot.read(now, 2 * MS);
            RobotStatus s = robot.write(now, 2 * MS, new Command(now, i, now + 10_000 * MS,
                    new double[] {0.2, 0, 0, 1}));
            if (!ready && s == RobotStatus.OK) {
                System.out.println("READY");
                ready = true;
            }
            LockSupport.parkNanos(2 * MS);
        }
    }
}
