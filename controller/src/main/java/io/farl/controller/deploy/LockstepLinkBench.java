package io.farl.controller.deploy;

import io.farl.controller.loop.ControlLoop;
import io.farl.controller.loop.Proposal;
import io.farl.controller.loop.ProposalSource;
import io.farl.robot.api.Observation;
import io.farl.robot.api.Robot;
import io.farl.robot.api.RobotStatus;
import io.farl.safety.Mode;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

/**
 * Lock-step decisions over a robot link, as fast as the link and the models allow: wait for the robot's next
 * observation, propose for it (task policy, C_H, recovery), run the control loop's step (gate, supervisor,
 * envelope, write), and wait for the observation that answers the command. The robot side advances once per command.
 * The robot adapter stamps each observation with its arrival on this machine, so both figures use one clock:
 * <ul>
 *   <li><b>decision</b>: observation arrival → command written (models and loop, plus the hand-over to the link's
 *       sender);</li>
 *   <li><b>round trip</b>: command written → the next observation's arrival (the link both ways and the robot side's
 *       step);</li>
 *   <li><b>link</b>: the round trip less the robot side's step that produced the observation (when the robot side is
 *       in this process and timed, {@link TimedEpisodicRobot}): what the transport itself adds, both ways.</li>
 * </ul>
 * One thread; the robot must be ACTIVE and the loop activated.
 */
public final class LockstepLinkBench {

    /**
     * @param decisions        measured decisions
     * @param seconds          wall time of the measured decisions
     * @param decisionsPerSecond measured decisions per second of wall time
     * @param decisionP50Nanos observation arrival → command written, median
     * @param decisionP99Nanos observation arrival → command written, 99th percentile
     * @param roundTripP50Nanos command written → next observation arrival, median
     * @param roundTripP99Nanos command written → next observation arrival, 99th percentile
     * @param roundTripMaxNanos command written → next observation arrival, maximum
     * @param robotStepP50Nanos the robot side's step, median (0 when not timed)
     * @param robotStepP99Nanos the robot side's step, 99th percentile
     * @param linkP50Nanos     round trip less the robot side's step, median (0 when not timed)
     * @param linkP99Nanos     round trip less the robot side's step, 99th percentile
     * @param taskSteps        measured steps that executed the task action
     * @param otherSteps       measured steps that executed recovery or held
     */
    public record Result(int decisions, double seconds, double decisionsPerSecond, long decisionP50Nanos,
            long decisionP99Nanos, long roundTripP50Nanos, long roundTripP99Nanos, long roundTripMaxNanos,
            long robotStepP50Nanos, long robotStepP99Nanos, long linkP50Nanos, long linkP99Nanos, long taskSteps,
            long otherSteps) {
    }

    private LockstepLinkBench() {
    }

    /**
     * @param periodNanos    the period each command is written for (its expiry is two of them)
     * @param timeoutNanos   longest wait for one observation before the run fails
     * @param robotSide      the robot side's simulator, timed, when it runs in this process (null: no link figures)
     * @throws IllegalStateException when an observation does not come within {@code timeoutNanos}
     */
    public static Result run(Robot robot, ControlLoop loop, ProposalSource source, int warmup, int decisions,
            long periodNanos, long timeoutNanos, TimedEpisodicRobot robotSide) {
        if (warmup < 0 || decisions <= 0) {
            throw new IllegalArgumentException("warmup must be >= 0 and decisions > 0");
        }
        long[] decision = new long[decisions];
        long[] roundTrip = new long[decisions];
        long[] robotStep = new long[decisions];
        boolean[] paired = new boolean[decisions];
        long stepsBefore = 0;
        long lastWrite = Long.MIN_VALUE;
        long task = 0;
        long other = 0;
        long start = 0;
        for (int i = 0; i < warmup + decisions; i++) {
            Observation obs = awaitNext(robot, lastWrite, periodNanos, timeoutNanos, i);
            int k = i - warmup;
            if (k == 0) {
                start = System.nanoTime();
            }
            if (k >= 0 && lastWrite != Long.MIN_VALUE) {
                roundTrip[k] = obs.stampNanos() - lastWrite;
                if (robotSide != null && robotSide.writes() == stepsBefore + 1) {
                    // exactly one robot step since the command: the one that produced this observation
                    robotStep[k] = robotSide.lastWriteNanos();
                    paired[k] = true;
                }
            }
            Proposal p = source.propose(obs);
            if (p != null) {
                loop.proposals().publish(p);
            }
            long now = System.nanoTime();
            stepsBefore = robotSide == null ? 0 : robotSide.writes();
            Mode m = loop.runOnce(now, periodNanos);
            lastWrite = System.nanoTime();
            if (k >= 0) {
                decision[k] = lastWrite - obs.stampNanos();
                if (m == Mode.TASK) {
                    task++;
                } else {
                    other++;
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        // the first measured decision has no round trip before it inside the window when there is no warm-up
        long[] rt = warmup > 0 ? roundTrip : Arrays.copyOfRange(roundTrip, 1, decisions);
        int n = 0;
        for (boolean p : paired) {
            n += p ? 1 : 0;
        }
        long[] steps = new long[n];
        long[] link = new long[n];
        for (int k = 0, j = 0; k < decisions; k++) {
            if (paired[k]) {
                steps[j] = robotStep[k];
                link[j++] = roundTrip[k] - robotStep[k];
            }
        }
        return new Result(decisions, seconds, decisions / seconds, percentile(decision, 0.5),
                percentile(decision, 0.99), percentile(rt, 0.5), percentile(rt, 0.99), percentile(rt, 1.0),
                percentile(steps, 0.5), percentile(steps, 0.99), percentile(link, 0.5), percentile(link, 0.99), task,
                other);
    }

    /** The first observation that arrived after the last write (every part of it, for an assembled one). */
    private static Observation awaitNext(Robot robot, long lastWrite, long periodNanos, long timeoutNanos,
            int index) {
        long deadline = System.nanoTime() + timeoutNanos;
        while (true) {
            long now = System.nanoTime();
            RobotStatus s = robot.read(now, periodNanos);
            Observation o = robot.latest();
            if (s == RobotStatus.OK && o != null && (lastWrite == Long.MIN_VALUE || o.stampNanos() - lastWrite > 0)) {
                return o;
            }
            if (now > deadline) {
                throw new IllegalStateException("no new observation within " + timeoutNanos / 1_000_000
                        + " ms before decision " + index + " (robot status " + s + ")");
            }
            LockSupport.parkNanos(5_000);
        }
    }

    static long percentile(long[] values, double q) {
        if (values.length == 0) {
            return 0;
        }
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    }
}
