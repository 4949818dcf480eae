package io.farl.model.jvm;

/**
 * The whole per-step decision on the plain-JVM path: task proposal (mean action), its C_H, the recovery
 * action and its C_H, written into caller-owned buffers without allocating. The gate (C_H vs ε_safe) lives in
 * the safety module. One instance per thread.
 */
public final class JvmDecision {
    private final JvmGaussianPolicy task;
    private final JvmGaussianPolicy recovery;
    private final JvmWorldModel worldModel;
    private final boolean checkRecoveryCost;
    private final double[] costs = new double[2];

    /** Output of one decision; reused between calls. */
    public static final class Result {
        public final float[] taskAction;
        public final float[] recoveryAction;
        public double taskCost;
        public double recoveryCost;

        public Result(int actionSize) {
            taskAction = new float[actionSize];
            recoveryAction = new float[actionSize];
        }
    }

    /**
     * @param checkRecoveryCost also roll out C_H of the recovery action (open point 4: alarm or hold when both
     *                          are unsafe), batched with the task rollout ({@link JvmWorldModel#cost2}); otherwise
     *                          {@code recoveryCost} is NaN
     */
    public JvmDecision(JvmGaussianPolicy task, JvmGaussianPolicy recovery, JvmWorldModel worldModel,
            boolean checkRecoveryCost) {
        this.task = task;
        this.recovery = recovery;
        this.worldModel = worldModel;
        this.checkRecoveryCost = checkRecoveryCost;
    }

    /**
     * One decision for {@code observation} (raw, un-normalised). With the vector kernels, the first few thousand
     * calls run before C2 has compiled them and are much slower: call this on representative input at start-up.
     */
    public void decide(float[] observation, Result out) {
        task.meanAction(observation, out.taskAction);
        recovery.meanAction(observation, out.recoveryAction);
        if (checkRecoveryCost) {
            worldModel.cost2(observation, out.taskAction, out.recoveryAction, costs);
            out.taskCost = costs[0];
            out.recoveryCost = costs[1];
        } else {
            out.taskCost = worldModel.cost(observation, out.taskAction);
            out.recoveryCost = Double.NaN;
        }
    }
}
