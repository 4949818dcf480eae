package io.farl.launch;

import io.farl.robot.api.Command;
import io.farl.robot.api.RobotStatus;
import io.farl.robot.ros1.Ros1Robot;
import io.farl.robot.ros1.Ros1RobotConfig;
import io.farl.robot.ros1.bridge.EpisodeEvent;
import io.farl.robot.ros1.msg.StdMsgs;
import io.farl.robot.sim.FailureBenchEnv;
import io.farl.robot.sim.SimConfig;
import io.farl.robot.sim.TaskId;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in controller for the link tests: a {@link Ros1Robot} on the sim-robot's topic map that sweeps the hand
 * left and right (direction flips every 10 commands), one command per period with a given lifetime, and counts the
 * episode events it hears. {@link #main} runs it until killed (for the deadman test).
 */
final class ScriptedRos1Controller implements AutoCloseable {
    static final long PERIOD = SimConfig.defaults().controlPeriodNanos();
    final AtomicInteger episodesEnded = new AtomicInteger();
    final AtomicInteger resets = new AtomicInteger();
    private final Ros1Robot robot;
    private final long lifetimeNanos;
    private long sequence;
    long written;

    ScriptedRos1Controller(String masterUri, long lifetimeNanos) {
        Ros1RobotConfig c = Ros1SimWiring.controller(FailureBenchEnv.describe(TaskId.BOUNDED_PUSH, SimConfig.defaults()),
                masterUri, "127.0.0.1", TimeUnit.MILLISECONDS.toNanos(500));
        this.robot = new Ros1Robot(c);
        this.lifetimeNanos = lifetimeNanos;
        robot.configure();
        robot.node().subscribe(Ros1SimWiring.bridge(masterUri, "127.0.0.1", 1, 1).eventTopic(), StdMsgs.HEADER, h -> {
            if (EpisodeEvent.parse(h.frameId()) == EpisodeEvent.RESET) {
                resets.incrementAndGet();
            } else {
                episodesEnded.incrementAndGet();
            }
        });
        robot.activate();
    }

    /** One period: read, and write a sweeping command when the observation is fresh. */
    RobotStatus step() {
        long now = System.nanoTime();
        RobotStatus r = robot.read(now, PERIOD);
        if (r != RobotStatus.OK) {
            return r;
        }
        double dx = (sequence / 10) % 2 == 0 ? 0.5 : -0.5;
        sequence++;
        RobotStatus w = robot.write(now, PERIOD, new Command(now, sequence, now + lifetimeNanos,
                new double[] {dx, 0, 0, 0}));
        if (w == RobotStatus.OK) {
            written++;
        }
        return w;
    }

    /** Steps at the control rate until {@code episodes} episode ends were heard or {@code seconds} passed. */
    void runUntil(int episodes, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        long next = System.nanoTime();
        while (episodesEnded.get() < episodes && System.nanoTime() < deadline) {
            step();
            next += PERIOD;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
        }
    }

    @Override
    public void close() {
        robot.close();
    }

    /** Args: master URI. Prints "driving" after the first command written, then runs until killed. */
    public static void main(String[] args) throws InterruptedException {
        try (ScriptedRos1Controller c = new ScriptedRos1Controller(args[0], TimeUnit.MILLISECONDS.toNanos(300))) {
            long next = System.nanoTime();
            boolean announced = false;
            while (true) {
                c.step();
                if (!announced && c.written > 0) {
                    System.out.println("driving");
                    System.out.flush();
                    announced = true;
                }
                next += PERIOD;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
            }
        }
    }
}
