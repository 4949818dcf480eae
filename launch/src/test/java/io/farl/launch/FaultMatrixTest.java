package io.farl.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.farl.controller.loop.ControlLoop;
import io.farl.controller.loop.LatestValue;
import io.farl.controller.loop.LoopClock;
import io.farl.controller.loop.ManualLoopClock;
import io.farl.controller.loop.Proposal;
import io.farl.controller.loop.ProposalSource;
import io.farl.controller.loop.ProposalWorker;
import io.farl.controller.runtime.ControllerRuntime;
import io.farl.robot.api.Command;
import io.farl.robot.api.LifecycleRobot;
import io.farl.robot.api.Observation;
import io.farl.robot.api.RobotDescription;
import io.farl.robot.api.RobotStatus;
import io.farl.robot.sim.FaultInjection;
import io.farl.robot.sim.SimConfig;
import io.farl.robot.sim.SimRobot;
import io.farl.robot.sim.TaskId;
import io.farl.safety.Cause;
import io.farl.safety.EnvelopeConfig;
import io.farl.safety.GateConfig;
import io.farl.safety.Mode;
import io.farl.safety.SupervisorEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The fault matrix against the real control loop and the FailureBench simulator, with the production defaults of
 * the robot configuration file (proposal age limit half a period). For each fault: a safe command (hold, recovery
 * or stop) in the period the fault is seen, no command outside the envelope ever written, the event recorded with
 * its cause. Time to the safe command is measured on the loop's own clock (periods; 0 = the same period) and, for
 * information only, as the wall-clock time of the reacting step; the table goes to target/fault-matrix.md.
 */
class FaultMatrixTest {
    private static final double[] TASK = {0.6, 0.3, 0, 0.2};
    private static final double[] RECOVER = {-0.2, 0, 0.3, 0.2};
    private static final String CONFIG = "watchdog:\n  max_proposal_age_ms: 50\nestop:\n  file: /nonexistent/estop\n";
    private static final List<String> ROWS = new CopyOnWriteArrayList<>();

    enum Output { NORMAL, THROW, NAN, OUT_OF_RANGE }

    /** Stand-in models: a fixed task and recovery action, or a scripted failure. */
    static final class Models implements ProposalSource {
        volatile Output output = Output.NORMAL;

        @Override
        public Proposal propose(Observation o) {
            return switch (output) {
                case NORMAL -> new Proposal(o.stampNanos(), o.sequence(), TASK, 0.1, RECOVER, 0.1, -1, 1);
                case THROW -> throw new IllegalStateException("model failed");
                case NAN -> new Proposal(o.stampNanos(), o.sequence(), new double[] {Double.NaN, 0, 0, 0}, 0.1,
                        RECOVER, 0.1, -1, 1);
                case OUT_OF_RANGE -> new Proposal(o.stampNanos(), o.sequence(), new double[] {7, -3, 0, 9}, 0.1,
                        RECOVER, 0.1, -1, 1);
            };
        }
    }

    /** The simulator with faults injected between it and the loop; runs inference in lock step unless told not to. */
    static final class FaultyRobot extends LifecycleRobot {
        final SimRobot sim = new SimRobot(TaskId.BOUNDED_PUSH, SimConfig.defaults(), FaultInjection.none());
        final Models models = new Models();
        final LatestValue<Observation> feed = new LatestValue<>();
        final List<Command> written = new ArrayList<>();
        ProposalWorker worker;
        boolean stall;
        long stampShiftNanos;
        long sequenceShift;
        RobotStatus writeOverride;
        Error readError;
        private Observation latest;

        @Override
        public RobotDescription description() {
            return sim.description();
        }

        @Override
        protected void onConfigure() {
            sim.configure();
        }

        @Override
        protected void onActivate() {
            sim.activate();
            sim.reset(3);
            latest = null;
        }

        @Override
        protected void onDeactivate() {
            sim.deactivate();
            latest = null;
        }

        @Override
        public double measuredGripperCommand(Observation measured) {
            return sim.measuredGripperCommand(measured);
        }

        @Override
        protected RobotStatus readActive(long nowNanos, long periodNanos) {
            if (readError != null) {
                throw readError;
            }
            RobotStatus s = sim.read(nowNanos, periodNanos);
            Observation o = sim.latest();
            latest = o == null ? null : new Observation(o.stampNanos() - stampShiftNanos,
                    o.sequence() - sequenceShift, o.values());
            if (latest != null && worker != null && !stall) {
                feed.publish(latest);
                worker.step();
            }
            return s;
        }

        @Override
        public Observation latest() {
            return latest;
        }

        @Override
        protected RobotStatus writeActive(long nowNanos, long periodNanos, Command command) {
            written.add(new Command(command.stampNanos(), command.sequence(), command.expiresAtNanos(),
                    command.action().clone()));
            return writeOverride != null ? writeOverride : sim.write(nowNanos, periodNanos, command);
        }
    }

    /** One cell of the matrix: robot, loop (production defaults + CONFIG), manual clock, events. */
    static final class Cell {
        final FaultyRobot robot = new FaultyRobot();
        final ControlLoop loop;
        final ManualLoopClock clock = new ManualLoopClock(1_000_000_000L);
        final long period = robot.description().controlPeriodNanos();
        final EnvelopeConfig envelope;
        final List<SupervisorEvent> events = new ArrayList<>();
        final List<Long> reactNanos = new ArrayList<>();
        long reactingStepNanos;

        Cell(boolean lockstep) {
            RobotConfigFile.Loaded c = RobotConfigFile.parse(CONFIG, "matrix.yaml", robot.description(),
                    GateConfig.steps(0.3, 2));
            envelope = c.loop().envelope();
            loop = new ControlLoop(robot, c.loop(), List.of());
            loop.supervisor().addListener(events::add);
            if (lockstep) {
                robot.worker = new ProposalWorker(robot.feed, loop.proposals(), robot.models);
            }
            robot.configure();
            robot.activate();
            loop.activate(clock.nanoTime());
        }

        Mode step() {
            long t0 = System.nanoTime();
            Mode m = loop.runOnce(clock.nanoTime(), period);
            reactNanos.add(System.nanoTime() - t0);
            clock.advance(period);
            loop.supervisor().drainEvents();
            return m;
        }

        /** Run normally until moving under the task policy. */
        void warmUp() {
            for (int i = 0; i < 5; i++) {
                step();
            }
            assertEquals(Mode.TASK, step(), "moving before the fault");
        }

        /** Run {@code steps} periods after a fault; returns the periods until the first safe command (0: at once). */
        int periodsToSafe(int steps, boolean holdOnly) {
            int first = -1;
            for (int i = 0; i < steps; i++) {
                Mode m = step();
                boolean safe = m == Mode.HOLD || m == Mode.STOPPED || (!holdOnly && m == Mode.RECOVERY);
                if (safe && first < 0) {
                    first = i;
                    reactingStepNanos = reactNanos.get(reactNanos.size() - 1);
                }
            }
            return first;
        }

        boolean recorded(Cause cause) {
            return events.stream().anyMatch(e -> e.cause() == cause);
        }

        /** Every command written was finite and inside the envelope's bounds, speed and step limits. */
        void assertEveryCommandInsideTheEnvelope() {
            double[] low = envelope.actionLow();
            double[] high = envelope.actionHigh();
            double maxNorm = envelope.maxSpeedMetersPerSecond() / robot.description().maxSpeedMetersPerSecond();
            double[] prev = null;
            for (Command c : robot.written) {
                double[] a = c.action();
                double sq = 0;
                for (int i = 0; i < a.length; i++) {
                    assertTrue(Double.isFinite(a[i]) && a[i] >= low[i] - 1e-12 && a[i] <= high[i] + 1e-12,
                            "bounds: " + c);
                    if (i < 3) {
                        sq += a[i] * a[i];
                    }
                    if (prev != null) {
                        boolean smooth = Math.abs(a[i] - prev[i]) <= envelope.maxActionDeltaPerPeriod() + 1e-9;
                        boolean slowing = Math.abs(a[i]) <= Math.abs(prev[i]) + 1e-12 && a[i] * prev[i] >= 0;
                        assertTrue(smooth || slowing, "step change: " + c);
                    }
                }
                assertTrue(Math.sqrt(sq) <= maxNorm + 1e-9, "speed: " + c);
                assertTrue(c.expiresAtNanos() > c.stampNanos(), "expiry set: " + c);
                prev = a;
            }
        }

        void row(String fault, String response, Cause cause, int periods) {
            long react = reactingStepNanos;
            ROWS.add(String.format(Locale.ROOT, "| %s | %s | %s | %d | %.1f |", fault, response, cause, periods,
                    react / 1000.0));
        }
    }

    @AfterAll
    static void writeTable() throws IOException {
        Path out = Path.of("target", "fault-matrix.md");
        Files.createDirectories(out.getParent());
        List<String> lines = new ArrayList<>();
        lines.add("| fault | safe command | recorded cause | periods to safe | reacting step (us, wall clock) |");
        lines.add("|---|---|---|---|---|");
        lines.addAll(ROWS.stream().sorted().toList());
        Files.write(out, lines);
    }

    @Test
    void inferenceStall() {
        Cell c = new Cell(true);
        c.warmUp();
        c.robot.stall = true;
        int periods = c.periodsToSafe(5, true);
        assertEquals(0, periods);
        assertTrue(c.recorded(Cause.PROPOSAL_STALE));
        c.assertEveryCommandInsideTheEnvelope();
        c.row("inference stall", "hold", Cause.PROPOSAL_STALE, periods);
    }

    @Test
    void inferenceException() {
        Cell c = new Cell(true);
        c.warmUp();
        c.robot.models.output = Output.THROW;
        int periods = c.periodsToSafe(5, true);
        assertEquals(0, periods);
        assertTrue(c.recorded(Cause.PROPOSAL_STALE));
        assertTrue(c.robot.worker.exceptions() > 0, "counted");
        c.assertEveryCommandInsideTheEnvelope();
        c.row("inference exception", "hold", Cause.PROPOSAL_STALE, periods);
    }

    @Test
    void nanModelOutput() {
        Cell c = new Cell(true);
        c.warmUp();
        c.robot.models.output = Output.NAN;
        int periods = c.periodsToSafe(5, true);
        assertEquals(0, periods);
        assertTrue(c.recorded(Cause.PROPOSAL_FAULT));
        c.assertEveryCommandInsideTheEnvelope();
        c.row("NaN model output", "hold (fault counted)", Cause.PROPOSAL_FAULT, periods);
    }

    @Test
    void outOfRangeModelOutput() {
        Cell c = new Cell(true);
        c.warmUp();
        c.robot.models.output = Output.OUT_OF_RANGE;
        for (int i = 0; i < 5; i++) {
            c.step();
        }
        c.assertEveryCommandInsideTheEnvelope();
        ROWS.add("| out-of-range model output | clamped by the envelope (bounds, step, speed) | ACTION_BOUND"
                + " (interventions in the step record) | 0 | - |");
    }

    @Test
    void staleObservation() {
        Cell c = new Cell(true);
        c.warmUp();
        c.robot.stampShiftNanos = 10 * c.period;
        int periods = c.periodsToSafe(5, true);
        assertEquals(0, periods);
        assertTrue(c.recorded(Cause.OBSERVATION_STALE));
        c.assertEveryCommandInsideTheEnvelope();
        c.row("stale observation", "hold", Cause.OBSERVATION_STALE, periods);
    }

    @Test
    void outOfOrderObservation() {
        Cell c = new Cell(true);
        c.warmUp();
        c.robot.sequenceShift = 100;
        int periods = c.periodsToSafe(3, true);
        assertEquals(0, periods);
        assertTrue(c.recorded(Cause.OBSERVATION_STALE));
        c.assertEveryCommandInsideTheEnvelope();
        c.row("out-of-order observation", "hold", Cause.OBSERVATION_STALE, periods);
    }

    @Test
    void robotWriteFault() {
        Cell c = new Cell(true);
        c.warmUp();
        c.robot.writeOverride = RobotStatus.REFUSED;
        int periods = c.periodsToSafe(5, true);
        assertEquals(1, periods, "the refused write is seen after it returns; the next period holds");
        assertTrue(c.recorded(Cause.WRITE_FAULT));
        assertEquals(Mode.STOPPED, c.loop.supervisor().mode(), "three in the window latch STOPPED");
        c.assertEveryCommandInsideTheEnvelope();
        c.row("robot write fault", "hold, then STOPPED after 3", Cause.WRITE_FAULT, periods);
    }

    @Test
    void robotNotActive() {
        Cell c = new Cell(true);
        c.warmUp();
        c.robot.sim.deactivate(); // the robot's own controller dropped out
        int periods = c.periodsToSafe(5, true);
        assertEquals(0, periods);
        assertTrue(c.recorded(Cause.ROBOT_NOT_ACTIVE));
        c.assertEveryCommandInsideTheEnvelope();
        c.row("robot not active", "hold (not executed: robot inactive), STOPPED", Cause.ROBOT_NOT_ACTIVE,
                periods);
    }

    @Test
    void estopPulseShorterThanAPeriod() {
        Cell c = new Cell(true);
        c.warmUp();
        c.loop.operator().engageEstop();
        c.loop.operator().releaseEstop();
        int periods = c.periodsToSafe(3, true);
        assertEquals(0, periods);
        assertEquals(Mode.STOPPED, c.loop.supervisor().mode());
        assertTrue(c.recorded(Cause.ESTOP));
        c.assertEveryCommandInsideTheEnvelope();
        c.row("e-stop pulse shorter than a period", "STOPPED (latched)", Cause.ESTOP, periods);
    }

    @Test
    void errorInAComponent() {
        Cell c = new Cell(true);
        c.warmUp();
        c.robot.readError = new AssertionError("driver bug");
        int periods = c.periodsToSafe(2, true);
        assertEquals(0, periods);
        assertEquals(Mode.STOPPED, c.loop.supervisor().mode());
        assertTrue(c.recorded(Cause.INTERNAL_ERROR));
        c.assertEveryCommandInsideTheEnvelope();
        c.row("Error thrown in a component", "hold, STOPPED", Cause.INTERNAL_ERROR, periods);
    }

    /** A clock that never waits, safe to share between threads. */
    static final class SteppingClock implements LoopClock {
        final AtomicLong now = new AtomicLong(1_000_000_000L);

        @Override
        public long nanoTime() {
            return now.get();
        }

        @Override
        public void parkUntil(long deadlineNanos) {
            now.accumulateAndGet(deadlineNanos, Math::max);
        }
    }

    private void threadedExit(String fault, boolean interrupt) {
        // inference in lock step with the reads: on a clock that never waits, an inference thread never keeps up
        Cell c = new Cell(true);
        ControllerRuntime[] rt = new ControllerRuntime[1];
        int[] moving = {0};
        int[] cycles = {0};
        long[] asked = {0};
        SteppingClock clock = new SteppingClock();
        rt[0] = ControllerRuntime.builder(c.robot, c.loop, clock, c.period)
                .probe((now, mode, t0, t1) -> {
                    if (++cycles[0] == 1000) {
                        rt[0].requestStop(); // never moving: end, and fail below
                    }
                    if (mode == Mode.TASK && ++moving[0] == 10) {
                        asked[0] = now;
                        if (interrupt) {
                            Thread.currentThread().interrupt();
                        } else {
                            rt[0].requestStop();
                        }
                    }
                }).build();
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            rt[0].start();
            rt[0].awaitControlEnd();
            rt[0].stop();
        });
        assertEquals(10, moving[0], "was moving");
        Command last = c.robot.written.get(c.robot.written.size() - 1);
        assertTrue(last.action()[0] == 0 && last.action()[1] == 0 && last.action()[2] == 0, "final hold " + last);
        long toSafe = rt[0].finalHoldNanos() - asked[0];
        assertTrue(toSafe <= c.period, "final hold " + toSafe + " ns after the request");
        c.assertEveryCommandInsideTheEnvelope();
        ROWS.add(String.format(Locale.ROOT, "| %s | final hold | (thread exit) | %d | - |", fault,
                toSafe / c.period));
    }

    @Test
    void interrupt() {
        threadedExit("interrupt of the control thread", true);
    }

    @Test
    void stopMidMotion() {
        threadedExit("stop mid-motion", false);
    }
}
