package io.farl.controller.loop;

import io.farl.robot.api.Observation;
import io.farl.robot.api.RobotStatus;
import io.farl.safety.Cause;
import io.farl.safety.Intervention;
import io.farl.safety.Mode;
import java.util.Arrays;
import java.util.List;

/**
 * One control step as executed, handed to the recorder and the learner: what was observed, what was proposed, what
 * was actually sent and why. Immutable.
 *
 * @param stampNanos       loop time of the step
 * @param commandSequence  sequence of the command written
 * @param observation      observation used (null when none was usable)
 * @param mode             who commanded: TASK, RECOVERY, HUMAN, HOLD or STOPPED
 * @param cause            cause of the supervisor's latest switch
 * @param executedAction   action actually sent (after transfer and envelope)
 * @param hold             the executed action is a hold
 * @param proposal         the gated proposal used this step, or null (recovery flag = mode RECOVERY)
 * @param fallback         the fallback recovery or human action used this step, or null
 * @param interventions    every envelope limit that acted
 * @param readStatus       status of {@code Robot.read}
 * @param writeStatus      status of {@code Robot.write}
 */
public record StepRecord(long stampNanos, long commandSequence, Observation observation, Mode mode, Cause cause,
        double[] executedAction, boolean hold, Proposal proposal, FallbackAction fallback,
        List<Intervention> interventions, RobotStatus readStatus, RobotStatus writeStatus) {

    public StepRecord {
        executedAction = executedAction.clone();
        interventions = List.copyOf(interventions);
    }

    @Override
    public double[] executedAction() {
        return executedAction.clone();
    }

    /** The recovery policy acted (gated or fallback). */
    public boolean recovery() {
        return mode == Mode.RECOVERY;
    }

    /** A human acted. */
    public boolean human() {
        return mode == Mode.HUMAN;
    }

    @Override
    public String toString() {
        return "StepRecord[stampNanos=" + stampNanos + ", commandSequence=" + commandSequence + ", mode=" + mode
                + ", cause=" + cause + ", executedAction=" + Arrays.toString(executedAction) + ", hold=" + hold
                + ", interventions=" + interventions + ", readStatus=" + readStatus + ", writeStatus=" + writeStatus
                + "]";
    }
}
