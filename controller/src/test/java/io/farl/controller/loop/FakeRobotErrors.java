package io.farl.controller.loop;

/** Makes a {@link FakeRobot} throw an arbitrary throwable from {@code read}. */
final class FakeRobotErrors {
    private FakeRobotErrors() {
    }

    static void readThrows(FakeRobot robot, Throwable t) {
        robot.throwOnRead = false;
        robot.readThrowable = t;
    }
}
