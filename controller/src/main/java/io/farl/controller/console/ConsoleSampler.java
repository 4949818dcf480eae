package io.farl.controller.console;

import io.farl.controller.loop.ControlLoop;
import io.farl.controller.loop.Proposal;
import io.farl.controller.loop.StepBuffer;
import io.farl.controller.runtime.StepConsumer;
import io.farl.robot.api.Observation;
import io.farl.robot.api.RobotDescription;
import io.farl.robot.api.Workspace;
import io.farl.safety.Cause;
import io.farl.safety.Intervention;
import io.farl.safety.Limit;
import io.farl.safety.Mode;
import io.farl.safety.SupervisorEvent;
import io.farl.safety.SupervisorListener;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps what the operator console shows from the executed-step stream and the supervisor's events: the latest step
 * (mode, cause, action sent, hand position, interventions, C_H and policy version of the proposal that acted), a ring
 * of C_H samples for the plot, a ring of recent steps, a ring of recent alarms, and counts by mode, cause and
 * envelope limit.
 *
 * <p>Threads: {@link #accept} and {@link #onEvent} run on the runtime's recorder thread (wire it with
 * {@code drain(queue, recorder.andThen(sampler))} and {@code supervisor.addListener(sampler)}); they copy into
 * preallocated rings and allocate nothing in steady state. {@link #snapshot()} runs on a console thread and builds an
 * immutable {@link ConsoleState}. Both sides take this object's monitor for a few microseconds; the control thread
 * never does.
 */
public final class ConsoleSampler implements StepConsumer, SupervisorListener {
    /** C_H samples kept for the plot: 30 s at 10 Hz. */
    public static final int COST_SAMPLES = 300;
    /** Steps kept for the traces. */
    public static final int TRACES = 8;
    /** Alarms kept. */
    public static final int ALARMS = 10;

    private final double epsilonSafe;
    private final int handOffset;
    private final int handSize;
    private final Workspace workspace;
    private final int actionSize;

    private final long[] costStep = new long[COST_SAMPLES];
    private final double[] costValue = new double[COST_SAMPLES];
    private final Mode[] costMode = new Mode[COST_SAMPLES];
    private final long[] traceStep = new long[TRACES];
    private final Mode[] traceMode = new Mode[TRACES];
    private final Cause[] traceCause = new Cause[TRACES];
    private final double[][] traceAction;
    private final double[][] traceHand;
    private final boolean[] traceHasHand = new boolean[TRACES];
    private final double[] traceCost = new double[TRACES];
    private final int[] traceInterventions = new int[TRACES];
    private final SupervisorEvent[] alarms = new SupervisorEvent[ALARMS];
    private final long[] byMode = new long[Mode.values().length];
    private final long[] byCause = new long[Cause.values().length];
    private final long[] byLimit = new long[Limit.values().length];
    private Limit[] latestLimits = new Limit[0];
    private int[] latestIndices = new int[0];
    private double[] latestRequested = new double[0];
    private double[] latestApplied = new double[0];
    private int latestInterventionCount;
    private long steps;
    private long alarmCount;
    private double recoveryCost = Double.NaN;
    private long policyVersion = -1;
    private long limitedSteps;

    /**
     * @param description     the robot's description (action size, workspace)
     * @param handField       observation field with the hand position (3 entries, metres)
     * @param epsilonSafe     the gate's threshold on C_H
     */
    public ConsoleSampler(RobotDescription description, String handField, double epsilonSafe) {
        this.epsilonSafe = epsilonSafe;
        this.handOffset = description.observationField(handField).offset();
        this.handSize = Math.min(3, description.observationField(handField).size());
        this.workspace = description.workspace();
        this.actionSize = description.actionSize();
        this.traceAction = new double[TRACES][actionSize];
        this.traceHand = new double[TRACES][handSize];
    }

    /** A sampler for {@code loop}'s envelope (hand field) and gate (ε_safe). */
    public static ConsoleSampler of(ControlLoop loop, RobotDescription description) {
        return new ConsoleSampler(description, loop.envelope().config().handPositionField(),
                loop.gate().config().epsilonSafe());
    }

    @Override
    public synchronized void accept(StepBuffer step) {
        int c = (int) (steps % COST_SAMPLES);
        int t = (int) (steps % TRACES);
        steps++;
        Proposal p = step.proposal();
        double cost = p == null ? Double.NaN : p.taskCost();
        if (p != null) {
            recoveryCost = p.recoveryCost();
            policyVersion = p.policyVersion();
        }
        Mode mode = step.mode();
        costStep[c] = step.commandSequence();
        costValue[c] = cost;
        costMode[c] = mode;
        byMode[mode.ordinal()]++;
        if (step.cause() != null) {
            byCause[step.cause().ordinal()]++;
        }
        traceStep[t] = step.commandSequence();
        traceMode[t] = mode;
        traceCause[t] = step.cause();
        traceCost[t] = cost;
        traceInterventions[t] = step.interventionCount();
        for (int i = 0; i < actionSize && i < step.actionSize(); i++) {
            traceAction[t][i] = step.executedAction(i);
        }
        Observation obs = step.observation();
        traceHasHand[t] = obs != null && obs.values().length >= handOffset + handSize;
        if (traceHasHand[t]) {
            System.arraycopy(obs.values(), handOffset, traceHand[t], 0, handSize);
        }
        countInterventions(step);
    }

    private void countInterventions(StepBuffer step) {
        int n = step.interventionCount();
        boolean limited = false;
        for (int i = 0; i < n; i++) {
            Limit limit = step.interventionLimit(i);
            byLimit[limit.ordinal()]++;
            limited |= limit != Limit.HOLD_REQUESTED;
        }
        if (limited) {
            limitedSteps++;
        }
        if (latestLimits.length < n) {
            // grows once to the envelope's intervention capacity
            latestLimits = new Limit[n];
            latestIndices = new int[n];
            latestRequested = new double[n];
            latestApplied = new double[n];
        }
        for (int i = 0; i < n; i++) {
            latestLimits[i] = step.interventionLimit(i);
            latestIndices[i] = step.interventionIndex(i);
            latestRequested[i] = step.interventionRequested(i);
            latestApplied[i] = step.interventionApplied(i);
        }
        latestInterventionCount = n;
    }

    private List<Intervention> latestInterventions() {
        List<Intervention> out = new ArrayList<>(latestInterventionCount);
        for (int i = 0; i < latestInterventionCount; i++) {
            out.add(new Intervention(latestLimits[i], latestIndices[i], latestRequested[i], latestApplied[i]));
        }
        return out;
    }

    /** Keeps alarms, faults, errors and switches to STOPPED (recorder thread). */
    @Override
    public synchronized void onEvent(SupervisorEvent e) {
        boolean keep = switch (e.kind()) {
            case ALARM, FAULT, ERROR -> true;
            case TRANSITION -> e.to() == Mode.STOPPED;
            default -> false;
        };
        if (keep) {
            alarms[(int) (alarmCount % ALARMS)] = e;
            alarmCount++;
        }
    }

    /** Steps seen whose supervisor cause was {@code cause} (e.g. FALLBACK_RECOVERY: deadline fallbacks). */
    public synchronized long steps(Cause cause) {
        return byCause[cause.ordinal()];
    }

    /** Envelope interventions by {@code limit} in the steps seen. */
    public synchronized long interventions(Limit limit) {
        return byLimit[limit.ordinal()];
    }

    /** Steps seen in which the envelope limited the requested command (a requested hold does not count). */
    public synchronized long limitedSteps() {
        return limitedSteps;
    }

    /** Alarms, faults, errors and stops the supervisor reported. */
    public synchronized long alarmEvents() {
        return alarmCount;
    }

    /** Latest C_H of the task action, NaN when the latest step acted on no proposal or before the first step. */
    public synchronized double taskCost() {
        return steps == 0 ? Double.NaN : costValue[(int) ((steps - 1) % COST_SAMPLES)];
    }

    /** Task policy version of the latest proposal that acted, -1 before one did. */
    public synchronized long policyVersion() {
        return policyVersion;
    }

    public double epsilonSafe() {
        return epsilonSafe;
    }

    /** An immutable snapshot; {@code operator} is the controls' state (see {@link ConsoleControls#state()}). */
    public synchronized ConsoleState snapshot(ConsoleState.Operator operator) {
        int latest = (int) ((steps - 1 + TRACES) % TRACES);
        boolean any = steps > 0;
        double[] hand = any && traceHasHand[latest] ? traceHand[latest].clone() : new double[0];
        return new ConsoleState(steps, any ? traceStep[latest] : -1, any ? traceMode[latest] : null,
                any ? traceCause[latest] : null, epsilonSafe, taskCost(), any ? recoveryCost : Double.NaN,
                policyVersion, any ? traceAction[latest].clone() : new double[0], hand, margin(hand),
                latestInterventions(), counts(Limit.class, byLimit),
                counts(Mode.class, byMode), costs(), traces(), alarmList(), operator);
    }

    private double margin(double[] hand) {
        if (hand.length < 3) {
            return Double.NaN;
        }
        double m = Math.min(hand[0] - workspace.minX(), workspace.maxX() - hand[0]);
        m = Math.min(m, Math.min(hand[1] - workspace.minY(), workspace.maxY() - hand[1]));
        return Math.min(m, Math.min(hand[2] - workspace.minZ(), workspace.maxZ() - hand[2]));
    }

    private static <E extends Enum<E>> Map<E, Long> counts(Class<E> type, long[] values) {
        Map<E, Long> m = new EnumMap<>(type);
        for (E e : type.getEnumConstants()) {
            m.put(e, values[e.ordinal()]);
        }
        return m;
    }

    private List<ConsoleState.CostSample> costs() {
        int n = (int) Math.min(steps, COST_SAMPLES);
        List<ConsoleState.CostSample> out = new ArrayList<>(n);
        for (long k = steps - n; k < steps; k++) {
            int i = (int) (k % COST_SAMPLES);
            out.add(new ConsoleState.CostSample(costStep[i], costValue[i], costMode[i]));
        }
        return out;
    }

    private List<ConsoleState.Trace> traces() {
        int n = (int) Math.min(steps, TRACES);
        List<ConsoleState.Trace> out = new ArrayList<>(n);
        for (long k = steps - 1; k >= steps - n; k--) {
            int i = (int) (k % TRACES);
            out.add(new ConsoleState.Trace(traceStep[i], traceMode[i], traceCause[i], traceAction[i].clone(),
                    traceHasHand[i] ? traceHand[i].clone() : new double[0], traceCost[i], traceInterventions[i]));
        }
        return out;
    }

    private List<ConsoleState.Alarm> alarmList() {
        int n = (int) Math.min(alarmCount, ALARMS);
        List<ConsoleState.Alarm> out = new ArrayList<>(n);
        for (long k = alarmCount - 1; k >= alarmCount - n; k--) {
            SupervisorEvent e = alarms[(int) (k % ALARMS)];
            String kind = e.kind() == SupervisorEvent.Kind.TRANSITION ? "STOP" : e.kind().name();
            out.add(new ConsoleState.Alarm(e.stampNanos(), kind, e.from(), e.cause(),
                    e.error() == null ? null : String.valueOf(e.error())));
        }
        return out;
    }
}
