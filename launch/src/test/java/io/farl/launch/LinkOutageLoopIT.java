package io.farl.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.farl.controller.deploy.AutoResetRobot;
import io.farl.controller.deploy.EpisodeTally;
import io.farl.controller.loop.ControlLoop;
import io.farl.controller.loop.LoopClock;
import io.farl.controller.loop.LoopConfig;
import io.farl.controller.loop.Proposal;
import io.farl.controller.runtime.ControllerRuntime;
import io.farl.controller.runtime.StepProbe;
import io.farl.pipeline.online.OnlineRun;
import io.farl.robot.api.RobotDescription;
import io.farl.robot.mqtt.MosquittoBroker;
import io.farl.robot.mqtt.MqttLinkConfig;
import io.farl.robot.mqtt.MqttRobot;
import io.farl.robot.mqtt.MqttRobotBridge;
import io.farl.robot.mqtt.RobotArm;
import io.farl.robot.sim.FaultInjection;
import io.farl.robot.sim.SimConfig;
import io.farl.robot.sim.SimRobot;
import io.farl.robot.sim.TaskId;
import io.farl.safety.Mode;
import io.farl.safety.SupervisorConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole controller (threaded runtime, control loop, supervisor) over MQTT through a real Debian mosquitto, with
 * the simulator behind the robot-side bridge, while the broker is killed (SIGKILL) and restarted on the same port:
 * the loop writes holds from the period the observation goes stale (time to HOLD measured from the kill), the arm
 * stops on the bridge's deadman, and the task resumes after the restart. (That no command from before the outage is
 * executed after it is {@code MqttOutageBrokerTest}'s.)
 */
class LinkOutageLoopIT {
    private static final long MS = 1_000_000L;
    private static final long PERIOD = 20 * MS;
    private static final String ROBOT = "cell-1";

    @TempDir
    Path dir;

    /** What the control thread wrote, per step: the mode, and the time of the first hold after a mark. */
    private static final class Probe implements StepProbe {
        final AtomicLong taskSteps = new AtomicLong();
        final AtomicLong holdSteps = new AtomicLong();
        volatile long markNanos = Long.MAX_VALUE;
        volatile long firstHoldAfterMark = Long.MAX_VALUE;
        volatile long firstTaskAfterMark2 = Long.MAX_VALUE;
        volatile long mark2Nanos = Long.MAX_VALUE;

        @Override
        public void onStep(long nowNanos, Mode written, long startedNanos, long endedNanos) {
            if (written == Mode.TASK) {
                taskSteps.incrementAndGet();
                if (endedNanos > mark2Nanos && firstTaskAfterMark2 == Long.MAX_VALUE) {
                    firstTaskAfterMark2 = endedNanos;
                }
            } else {
                holdSteps.incrementAndGet();
                if (endedNanos > markNanos && firstHoldAfterMark == Long.MAX_VALUE) {
                    firstHoldAfterMark = endedNanos;
                }
            }
        }
    }

    private static void await(String what, long seconds, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000 * MS;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(1);
        }
    }

    @Test
    void shouldHoldFromTheStalePeriodStopTheArmAndResumeAfterABrokerRestart() throws Exception {
        MosquittoBroker broker = new MosquittoBroker(dir, false);
        broker.start();
        SimConfig d = SimConfig.defaults();
        SimConfig config = new SimConfig(PERIOD, d.physicsStepNanos(), 100_000, d.maxRecoverySteps());
        SimRobot sim = new SimRobot(TaskId.BOUNDED_PUSH, config, FaultInjection.none());
        RobotDescription desc = sim.description();
        AutoResetRobot cell = new AutoResetRobot(sim, new EpisodeTally(Integer.MAX_VALUE), 7);
        cell.configure();
        cell.activate();
        MqttRobotBridge bridge = new MqttRobotBridge(MqttLinkConfig.of(broker.uri(), ROBOT),
                new RobotArm(cell, desc.actionSize() - 1, 2 * PERIOD),
                new MqttRobotBridge.Timing(5 * PERIOD, PERIOD, MS), System::nanoTime);
        MqttRobot robot = new MqttRobot(MqttLinkConfig.of(broker.uri(), ROBOT), desc, 3 * PERIOD, System::nanoTime);
        // the supervisor's hold limit (10 s) outlasts the outage, so the run resumes by itself; a shorter one latches
        // STOPPED, which only an operator leaves (RunCommandTest, ControlLoopTest)
        LoopConfig c = OnlineRun.loopConfig(desc, Double.MAX_VALUE);
        ControlLoop loop = new ControlLoop(robot, new LoopConfig(c.envelope(), c.gate(),
                new SupervisorConfig(3, 100 * PERIOD, 10_000 * MS), c.watchdog(), 0, false), List.of());
        double[] creep = {0.05, 0, 0, 1};
        Probe probe = new Probe();
        ControllerRuntime runtime = ControllerRuntime.builder(robot, loop, LoopClock.system(), PERIOD)
                .proposals(obs -> new Proposal(obs.stampNanos(), obs.sequence(), creep, 0, creep, 0, 0, 0))
                .probe(probe).build();
        try {
            bridge.start();
            robot.configure();
            await("the robot online", 30, () -> robot.robotOnline());
            runtime.start();
            await("task steps", 30, () -> probe.taskSteps.get() >= 50);

            long deadmanBefore = bridge.counters().deadmanStops();
            probe.markNanos = System.nanoTime();
            broker.kill();
            long killedAt = probe.markNanos;
            await("a hold after the kill", 10, () -> probe.firstHoldAfterMark != Long.MAX_VALUE);
            long toHold = probe.firstHoldAfterMark - killedAt;
            await("the bridge's deadman stop", 10, () -> bridge.counters().deadmanStops() > deadmanBefore);
            Thread.sleep(10 * PERIOD / MS);
            long tasksDuringOutage = probe.taskSteps.get();
            Thread.sleep(20 * PERIOD / MS);
            assertEquals(tasksDuringOutage, probe.taskSteps.get(), "only holds while the broker is down");

            probe.mark2Nanos = System.nanoTime();
            broker.start();
            long restartedAt = probe.mark2Nanos;
            await("task steps after the restart", 30, () -> probe.firstTaskAfterMark2 != Long.MAX_VALUE);
            long toTask = probe.firstTaskAfterMark2 - restartedAt;
            await("commands executed again", 10, () -> bridge.counters().commandsExecuted() > 0
                    && probe.taskSteps.get() > tasksDuringOutage + 20);
            System.out.printf(Locale.ROOT, "broker SIGKILL under the control loop (period %d ms, observation age "
                    + "limit %d ms): first hold %.1f ms after the kill; task again %.0f ms after the restart; %s%n",
                    PERIOD / MS, 3 * PERIOD / MS, toHold / 1e6, toTask / 1e6, bridge.counters());
            // stale after at most the age limit (3 periods), then the hold goes out in the period that sees it
            assertTrue(toHold <= 3 * PERIOD + 2 * PERIOD, "hold " + toHold / 1e6 + " ms after the kill");
        } finally {
            runtime.stop();
            robot.close();
            bridge.close();
            broker.close();
            cell.close();
        }
    }
}
