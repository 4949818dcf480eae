package io.farl.controller.deploy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.farl.robot.api.Command;
import io.farl.robot.api.EpisodicRobot;
import io.farl.robot.api.Field;
import io.farl.robot.api.LifecycleRobot;
import io.farl.robot.api.Observation;
import io.farl.robot.api.RobotDescription;
import io.farl.robot.api.RobotStatus;
import io.farl.robot.api.TaskSignals;
import io.farl.robot.api.Workspace;
import io.farl.safety.Mode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link AutoResetRobot}, {@link EpisodeTally}, {@link RemappedRobot} and {@link RunProbe} on a fake cell. */
class DeployRobotsTest {
    private static final long PERIOD = 100_000_000L;

    private static RobotDescription description(int observationSize) {
        return new RobotDescription("fake", List.of(new Field("v", 0, observationSize, "1")),
                List.of(new Field("a", 0, 2, "1")), new double[] {-1, -1}, new double[] {1, 1},
                new Workspace(-1, -1, 0, 1, 1, 1), 0.5, PERIOD);
    }

    private static Command command(long now, long seq) {
        return new Command(now, seq, now + PERIOD, new double[] {0.1, 0});
    }

    @Test
    void shouldCountEpisodeEndsAndResetWithTheNextSeedUntilTheTargetIsReached() {
        FakeCell cell = new FakeCell(2);
        EpisodeTally tally = new EpisodeTally(2);
        java.util.concurrent.atomic.AtomicInteger starts = new java.util.concurrent.atomic.AtomicInteger();
        tally.onEpisodeStarts(starts::incrementAndGet);
        AutoResetRobot robot = new AutoResetRobot(cell, tally, 100);
        robot.configure();
        robot.activate();
        assertEquals(List.of(100L), cell.seeds);
        assertEquals(1, starts.get(), "activation starts episode 0");
        for (int k = 1; k <= 4; k++) {
            robot.write(k, PERIOD, command(k, k));
        }
        assertEquals(2, tally.episodes());
        assertEquals(2, tally.successes());
        assertTrue(tally.done());
        assertEquals(List.of(100L, 101L), cell.seeds, "no episode is started after the target");
        assertEquals(2, starts.get(), "each reset is reported, so the loop starts the episode afresh");
    }

    @Test
    void shouldHandEachObservationOverRightAfterTheStepAndReturnItFromTheNextRead() {
        FakeCell cell = new FakeCell(2);
        EpisodeTally tally = new EpisodeTally(2);
        AutoResetRobot robot = new AutoResetRobot(cell, tally, 100);
        List<Observation> arrived = new java.util.ArrayList<>();
        robot.onObservationArrival(arrived::add);
        robot.configure();
        robot.activate();
        assertEquals(RobotStatus.OK, robot.read(10, PERIOD));
        long first = robot.latest().sequence();
        assertTrue(arrived.isEmpty(), "activation reads nothing");
        cell.values = new double[] {1, 2, 3};
        robot.write(10, PERIOD, command(10, 1));
        assertEquals(1, arrived.size(), "the step's answer is handed over inside write");
        Observation answer = arrived.get(0);
        assertEquals(10, answer.stampNanos(), "stamped with the write's clock");
        assertArrayEquals(new double[] {1, 2, 3}, answer.values());
        assertEquals(first + 1, answer.sequence());
        assertEquals(RobotStatus.OK, robot.read(20, PERIOD));
        assertSame(answer, robot.latest(), "the next read returns the handed-over observation, no second read");
        assertEquals(RobotStatus.OK, robot.read(30, PERIOD));
        assertEquals(first + 2, robot.latest().sequence(), "only once: a later read reads again");
        robot.write(30, PERIOD, command(30, 2)); // ends episode 0, starts episode 1
        assertEquals(List.of(100L, 101L), cell.seeds);
        assertEquals(2, arrived.size(), "the new episode's first observation is handed over");
        robot.write(40, PERIOD, command(40, 3));
        robot.write(50, PERIOD, command(50, 4)); // ends episode 1: the target, no reset
        assertTrue(tally.done());
        assertEquals(3, arrived.size(), "nothing after the last episode");
    }

    @Test
    void shouldWaitForTheOperatorBetweenEpisodesWithoutStepping() {
        FakeCell cell = new FakeCell(2);
        EpisodeTally tally = new EpisodeTally(Integer.MAX_VALUE);
        List<Long> resets = new java.util.ArrayList<>();
        java.util.concurrent.atomic.AtomicInteger starts = new java.util.concurrent.atomic.AtomicInteger();
        tally.onEpisodeStarts(starts::incrementAndGet);
        AutoResetRobot robot = AutoResetRobot.paced(cell, tally, 7, seed -> {
            resets.add(seed);
            cell.reset(seed);
        });
        List<Observation> arrived = new java.util.ArrayList<>();
        robot.onObservationArrival(arrived::add);
        robot.configure();
        robot.activate();
        assertEquals(List.of(7L), resets, "activation starts the first episode with the first seed");
        robot.write(1, PERIOD, command(1, 1));
        robot.write(2, PERIOD, command(2, 2)); // the cell ends episode 0
        assertEquals(1, tally.episodes());
        assertEquals(2, cell.steps);
        for (int k = 3; k <= 6; k++) {
            assertEquals(RobotStatus.OK, robot.write(k, PERIOD, command(k, k)), "accepted while the operator decides");
        }
        assertEquals(2, cell.steps, "nothing is executed between episodes");
        assertEquals(List.of(7L), resets, "no reset before the operator asks");
        assertEquals(6, arrived.size(), "observations keep arriving, so the loop and the teleoperator see the scene");
        robot.startEpisode(7); // the same layout again
        robot.write(7, PERIOD, command(7, 7));
        assertEquals(List.of(7L, 7L), resets);
        assertEquals(0, cell.steps, "the command of the reset period is dropped");
        assertEquals(2, starts.get());
        robot.write(8, PERIOD, command(8, 8));
        assertEquals(1, cell.steps);
        robot.endEpisode(); // the operator is done before the cell is
        robot.write(9, PERIOD, command(9, 9));
        assertEquals(1, cell.steps, "the operator's end is not a step");
        assertEquals(2, tally.episodes());
        assertEquals(1, tally.successes(), "the operator's end is not a success (the cell's first end was)");
        assertEquals(0, tally.irFailures(), "nor a failure");
        robot.startEpisode(8);
        robot.write(10, PERIOD, command(10, 10));
        assertEquals(List.of(7L, 7L, 8L), resets);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> new AutoResetRobot(cell, tally, 0).startEpisode(1), "only a paced robot takes seeds");
    }

    @Test
    void shouldReadOnlyInTheLoopWithoutAListener() {
        FakeCell cell = new FakeCell(5);
        AutoResetRobot robot = new AutoResetRobot(cell, new EpisodeTally(1), 100);
        robot.configure();
        robot.activate();
        robot.read(10, PERIOD);
        Observation before = robot.latest();
        robot.write(10, PERIOD, command(10, 1));
        assertSame(before, robot.latest(), "write reads nothing");
        robot.read(20, PERIOD);
        assertEquals(20, robot.latest().stampNanos());
    }

    @Test
    void shouldCountAnIrFailureAsFailureEvenWhenTheGoalWasMet() {
        EpisodeTally tally = new EpisodeTally(3);
        tally.onEpisodeEnd(true, true);
        tally.onEpisodeEnd(true, false);
        assertEquals(1, tally.irFailures());
        assertEquals(1, tally.successes());
        assertEquals(2, tally.episodes());
    }

    @Test
    void shouldRearrangeSlicesAndKeepThePreviousFrame() {
        FakeCell cell = new FakeCell(100);
        RemappedRobot robot = new RemappedRobot(cell, description(5),
                new RemappedRobot.Slice[] {new RemappedRobot.Slice(1, 0, 1), new RemappedRobot.Slice(0, 1, 1),
                    new RemappedRobot.Slice(2, 4, 1)}, 2, 2);
        robot.configure();
        robot.activate();
        cell.values = new double[] {1, 2, 9};
        robot.read(1, PERIOD);
        assertArrayEquals(new double[] {2, 1, 2, 1, 9}, robot.latest().values(), "first frame: previous = current");
        cell.values = new double[] {3, 4, 9};
        robot.read(2, PERIOD);
        assertArrayEquals(new double[] {4, 3, 2, 1, 9}, robot.latest().values());
        robot.markEpisodeStart();
        cell.values = new double[] {5, 6, 9};
        robot.read(3, PERIOD);
        assertArrayEquals(new double[] {6, 5, 6, 5, 9}, robot.latest().values(), "episode start: previous = current");
    }

    @Test
    void shouldRemapEachObservationOnceWhicheverThreadAsksFirst() {
        FakeCell cell = new FakeCell(100);
        RemappedRobot robot = new RemappedRobot(cell, description(5),
                new RemappedRobot.Slice[] {new RemappedRobot.Slice(0, 0, 2), new RemappedRobot.Slice(2, 4, 1)}, 2, 2);
        robot.configure();
        robot.activate();
        cell.values = new double[] {1, 2, 9};
        robot.read(1, PERIOD);
        Observation first = cell.latest();
        cell.values = new double[] {3, 4, 9};
        cell.read(2, PERIOD);
        Observation arrived = robot.remap(cell.latest()); // an adapter's I/O thread, before the loop reads it
        assertArrayEquals(new double[] {3, 4, 1, 2, 9}, arrived.values());
        assertSame(arrived, robot.remap(cell.latest()), "made once per observation");
        assertSame(arrived, robot.remap(first), "an older observation is answered with the newest");
        robot.read(3, PERIOD);
        assertEquals(arrived.sequence() + 1, robot.latest().sequence());
        assertArrayEquals(new double[] {3, 4, 3, 4, 9}, robot.latest().values(), "the previous frame moved once");
    }

    @Test
    void shouldCountModesAndGiveLatencyPercentiles() {
        RunProbe probe = new RunProbe(4);
        for (int i = 1; i <= 6; i++) {
            probe.onStep(i, i == 6 ? Mode.HOLD : Mode.TASK, 0, i * 1000L);
        }
        assertEquals(5, probe.steps(Mode.TASK));
        assertEquals(1, probe.steps(Mode.HOLD));
        assertEquals(3000, probe.latencyPercentile(0.5), "first 4 samples kept: 1..4 us");
        assertEquals(4000, probe.latencyPercentile(1.0));
        assertEquals(0, probe.observationToCommandPercentile(0.5), "no observation stamps given");
    }

    @Test
    void shouldMeasureFromTheObservationsArrivalToTheWrite() {
        long[] stamp = {Long.MIN_VALUE};
        RunProbe probe = new RunProbe(8, () -> stamp[0]);
        probe.onStep(10, Mode.HOLD, 0, 1_000L); // no usable observation: not a sample
        for (int i = 1; i <= 4; i++) {
            stamp[0] = 100_000L * i - 50_000L * i; // arrived 50 us * i before the step's write at 100 us * i
            probe.onStep(10 + i, Mode.TASK, 100_000L * i - 2_000L, 100_000L * i);
        }
        assertEquals(150_000L, probe.observationToCommandPercentile(0.5));
        assertEquals(200_000L, probe.observationToCommandPercentile(1.0));
        assertEquals(2_000L, probe.latencyPercentile(1.0), "the step itself took 2 us");
    }

    /** Episodes succeed after {@code length} steps; observation 3 entries, settable. */
    static final class FakeCell extends LifecycleRobot implements EpisodicRobot {
        private final int length;
        final List<Long> seeds = new java.util.ArrayList<>();
        double[] values = {0, 0, 0};
        int steps;
        private long sequence;
        private Observation latest;
        private TaskSignals signals;

        FakeCell(int length) {
            this.length = length;
        }

        @Override
        public RobotDescription description() {
            return DeployRobotsTest.description(3);
        }

        @Override
        public void reset(long seed) {
            seeds.add(seed);
            steps = 0;
        }

        @Override
        public TaskSignals signals() {
            return signals;
        }

        @Override
        protected void onActivate() {
        }

        @Override
        protected void onDeactivate() {
        }

        @Override
        protected RobotStatus readActive(long nowNanos, long periodNanos) {
            latest = new Observation(nowNanos, ++sequence, values.clone());
            return RobotStatus.OK;
        }

        @Override
        public Observation latest() {
            return latest;
        }

        @Override
        protected RobotStatus writeActive(long nowNanos, long periodNanos, Command command) {
            steps++;
            boolean done = steps >= length;
            signals = new TaskSignals(0, done, false, done, false, steps - 1);
            return RobotStatus.OK;
        }
    }
}
