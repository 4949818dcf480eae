package io.farl.robot.api;

/**
 * Task-level outcome of the latest control step, as judged by the task evaluator (the simulator's physics,
 * or a real cell's sensors and operator).
 *
 * @param reward     dense shaped reward of the step
 * @param success    the task goal is met
 * @param irFailure  C(s,a) = 1: an intervention-requiring failure happened on this step
 * @param terminated the episode ended (success or failure)
 * @param truncated  the episode hit its time limit
 * @param step       index of the step within the episode, from 0
 */
public record TaskSignals(double reward, boolean success, boolean irFailure, boolean terminated, boolean truncated,
        int step) {

    public boolean done() {
        return terminated || truncated;
    }
}
