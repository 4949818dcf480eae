package io.farl.controller.session;

import io.farl.model.api.StateReward;

/**
 * The reward online PPO learns from for one executed step. The episode's reported return stays the task's own
 * reward whatever this is, so runs with different training rewards report comparable returns.
 */
public interface SessionReward {

    /**
     * @param taskReward the task's own (hand-shaped) reward of the step
     * @param success    the step reached the task's goal
     * @param next       the observation after the step
     */
    double reward(double taskReward, boolean success, double[] next);

    /** A short name for reports: shaped, sparse or a learned reward's method. */
    String label();

    /** The task's hand-shaped reward. */
    SessionReward SHAPED = new SessionReward() {
        @Override
        public double reward(double taskReward, boolean success, double[] next) {
            return taskReward;
        }

        @Override
        public String label() {
            return "shaped";
        }
    };

    /** The sparse variant of the task: 1 on the step that reaches the goal, 0 otherwise. */
    SessionReward SPARSE = new SessionReward() {
        @Override
        public double reward(double taskReward, boolean success, double[] next) {
            return success ? 1 : 0;
        }

        @Override
        public String label() {
            return "sparse";
        }
    };

    /**
     * The sparse reward plus a learned state reward of the state the step reached, r(s_{t+1}) (TW-CRL: positive
     * towards success, negative towards traps). {@code model} is used by one session thread only.
     */
    static SessionReward learned(StateReward model, String label) {
        float[] buffer = new float[model.observationSize()];
        return new SessionReward() {
            @Override
            public double reward(double taskReward, boolean success, double[] next) {
                if (next.length != buffer.length) {
                    throw new IllegalArgumentException("the learned reward reads " + buffer.length
                            + " observation values, the robot sends " + next.length);
                }
                for (int i = 0; i < next.length; i++) {
                    buffer[i] = (float) next[i];
                }
                return (success ? 1 : 0) + model.reward(buffer);
            }

            @Override
            public String label() {
                return label;
            }
        };
    }
}
