package io.farl.controller.loop;

import static io.farl.controller.loop.FakeRobot.PERIOD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.farl.robot.api.Command;
import io.farl.robot.api.LifecycleRobot;
import io.farl.robot.api.Observation;
import io.farl.robot.api.Robot;
import io.farl.robot.api.RobotDescription;
import io.farl.robot.api.RobotStatus;
import io.farl.safety.Limit;
import io.farl.safety.Mode;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A structural property, not a timing: in steady state {@link ControlLoop#runOnce} allocates nothing on the control
 * thread, measured with the JVM's per-thread allocation counter over rounds of many steps. The robot and the inputs
 * are prepared up front so that they do not allocate either; the steps take the task path with a workspace
 * intervention every period and feed two sinks, one never drained (drop newest) and one drained (drop oldest).
 *
 * <p>Steady state means compiled: the JIT compiles in the background, so rounds run until one allocates nothing, or
 * the round budget is spent. The one object a step still creates, the {@code Command} record handed to
 * {@code Robot.write}, is removed by escape analysis once {@code write} is inlined and lets it escape on no path
 * (a robot that may keep it, like {@link FakeRobot}, costs 32 bytes per step); with escape analysis off this test
 * fails at 32 bytes per step. The measurement runs in its own class loader, so that its type profiles are those of a
 * process with one robot type.
 */
class ControlLoopAllocationTest {
    private static final int ROUND = 10_000;
    private static final int MAX_ROUNDS = 60;
    private static final double[] TASK = {0.5, 0.1, 0, 0.5};
    private static final double[] RECOVER = {-0.2, 0, 0.1, -0.5};

    /** Serves prepared observations; reads each command it is given and keeps nothing. */
    private static final class PreparedRobot extends LifecycleRobot {
        private final RobotDescription description = new FakeRobot().description();
        private final Observation[] samples;
        private int next;
        private Observation latest;
        double commandSum;

        PreparedRobot(Observation[] samples) {
            this.samples = samples;
            configure();
            activate();
        }

        @Override
        public RobotDescription description() {
            return description;
        }

        @Override
        protected void onActivate() {
        }

        @Override
        protected void onDeactivate() {
        }

        @Override
        protected RobotStatus readActive(long nowNanos, long periodNanos) {
            latest = samples[next++];
            return RobotStatus.OK;
        }

        @Override
        public Observation latest() {
            return latest;
        }

        @Override
        protected RobotStatus writeActive(long nowNanos, long periodNanos, Command command) {
            double[] a = command.action();
            for (int i = 0; i < a.length; i++) {
                commandSum += a[i];
            }
            return RobotStatus.OK;
        }
    }

    /** What {@link #measure()} saw, as plain longs (it runs in another class loader). */
    private enum Out {
        ALLOCATED_LAST_ROUND, STEPS, LEARNER_OFFERED, RECORDER_DROPPED, CONSUMED_SEQUENCE, LAST_WRITTEN_TASK,
        INTERVENTION_IS_WORKSPACE, LOOP_ERRORS, COMMAND_SUM_NONZERO
    }

    @Test
    void shouldNotAllocateInRunOnceInSteadyState() throws Exception {
        var bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean sun && sun.isThreadAllocatedMemoryEnabled(),
                "per-thread allocation counter not available");
        long[] out;
        // A controller process has one robot type. Other tests here use FakeRobot, whose write keeps every command:
        // if the JIT's type profile of the loop's write call site had seen it, the command would escape. A fresh
        // class loader gives the loop classes fresh profiles.
        try (URLClassLoader isolated = new URLClassLoader(classPath(), ClassLoader.getPlatformClassLoader())) {
            Class<?> self = isolated.loadClass(ControlLoopAllocationTest.class.getName());
            Method m = self.getDeclaredMethod("measure");
            m.setAccessible(true);
            out = (long[]) m.invoke(null);
        }
        long steps = out[Out.STEPS.ordinal()];
        assertEquals(1, out[Out.LAST_WRITTEN_TASK.ordinal()], "on the task path");
        assertEquals(0, out[Out.LOOP_ERRORS.ordinal()]);
        assertEquals(1, out[Out.INTERVENTION_IS_WORKSPACE.ordinal()], "each step carries an intervention");
        assertEquals(steps, out[Out.LEARNER_OFFERED.ordinal()]);
        assertEquals(steps - 64, out[Out.RECORDER_DROPPED.ordinal()],
                "the undrained recorder refused everything past its capacity");
        assertEquals(steps, out[Out.CONSUMED_SEQUENCE.ordinal()], "the drained learner saw the last step");
        assertEquals(1, out[Out.COMMAND_SUM_NONZERO.ordinal()], "the robot read the commands");
        assertEquals(0, out[Out.ALLOCATED_LAST_ROUND.ordinal()],
                "bytes allocated in the last round of " + ROUND + " steps (" + steps + " steps run)");
    }

    private static URL[] classPath() throws Exception {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<URL> urls = new ArrayList<>();
        for (String entry : cp.split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                urls.add(Path.of(entry).toUri().toURL());
            }
        }
        return urls.toArray(new URL[0]);
    }

    /** Runs rounds of steps until one allocates nothing (or the budget is spent); see {@link Out}. */
    @SuppressWarnings("unused") // called reflectively, in its own class loader
    private static long[] measure() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        int total = ROUND * MAX_ROUNDS;
        long start = 1_000_000_000L;
        Observation[] samples = new Observation[total];
        Proposal[] proposals = new Proposal[total];
        double[] hand = {0.4995, 0, 0.2, 0}; // at the +x edge: the task action is cut every period
        for (int k = 0; k < total; k++) {
            long stamp = start + k * PERIOD;
            samples[k] = new Observation(stamp, k + 1, hand);
            proposals[k] = new Proposal(stamp, k + 1, TASK, 0.1, RECOVER, 0.1, -1.0, 1);
        }
        PreparedRobot robot = new PreparedRobot(samples);
        StepQueue recorder = new StepQueue("recorder", 64, StepQueue.DropPolicy.DROP_NEWEST);
        StepQueue learner = new StepQueue("learner", 64, StepQueue.DropPolicy.DROP_OLDEST);
        ControlLoop loop = new ControlLoop(robot, ControlLoopTest.config(new FakeRobot(), 2, true),
                List.of(recorder, learner));
        StepBuffer consumed = new StepBuffer();
        loop.activate(start);

        long allocated = -1;
        int k = 0;
        for (int round = 0; round < MAX_ROUNDS && allocated != 0; round++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < ROUND; i++, k++) {
                if (k > 0) {
                    // The proposal for the previous observation, as the policy thread would have published it.
                    loop.proposals().publish(proposals[k - 1]);
                }
                loop.runOnce(start + k * PERIOD, PERIOD);
                learner.pollInto(consumed);
            }
            allocated = threads.getCurrentThreadAllocatedBytes() - before;
        }
        long[] out = new long[Out.values().length];
        out[Out.ALLOCATED_LAST_ROUND.ordinal()] = allocated;
        out[Out.STEPS.ordinal()] = k;
        out[Out.LEARNER_OFFERED.ordinal()] = learner.offered();
        out[Out.RECORDER_DROPPED.ordinal()] = recorder.dropped();
        out[Out.CONSUMED_SEQUENCE.ordinal()] = consumed.commandSequence();
        out[Out.LAST_WRITTEN_TASK.ordinal()] = loop.lastWritten() == Mode.TASK ? 1 : 0;
        out[Out.INTERVENTION_IS_WORKSPACE.ordinal()] = consumed.interventionCount() > 0
                && consumed.interventionLimit(0) == Limit.WORKSPACE ? 1 : 0;
        out[Out.LOOP_ERRORS.ordinal()] = loop.loopErrors();
        out[Out.COMMAND_SUM_NONZERO.ordinal()] = robot.commandSum != 0 ? 1 : 0;
        return out;
    }

    @Test
    void shouldSeeAllocationsWhenThereAreSome() {
        var bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean sun && sun.isThreadAllocatedMemoryEnabled(),
                "per-thread allocation counter not available");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        long before = threads.getCurrentThreadAllocatedBytes();
        long[] garbage = new long[1000];
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated >= 8L * garbage.length, "counter saw " + allocated + " bytes");
    }
}
