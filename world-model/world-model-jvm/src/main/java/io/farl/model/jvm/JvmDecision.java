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
    // flat batch buffers of decideBatch, grown on demand
    private float[] batchObs = new float[0];
    private float[] batchTask = new float[0];
    private float[] batchRecovery = new float[0];
    private double[] batchTaskCost = new double[0];
    private double[] batchRecoveryCost = new double[0];

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

    /**
     * {@code n} decisions at once, for a server that batches requests: {@code out[o]} as {@link #decide} of
     * {@code observations[o]} would give it (up to float rounding, within 1e-5), for {@code o < n}. Both policies
     * run one forward pass over the batch and the C_H rollouts of all n observations (2n rows with the recovery
     * C_H) run together, each weight vector loaded once per tile of 4 rows instead of once per decision, so the time
     * per observation falls with n. The first call with a larger {@code n} than before allocates the buffers;
     * later calls allocate nothing. Not thread-safe, like {@link #decide}.
     *
     * @param observations at least {@code n} raw observations
     * @param out          at least {@code n} results
     */
    public void decideBatch(float[][] observations, int n, Result[] out) {
        int obsSize = task.observationSize();
        int act = task.actionSize();
        ensureBatch(n, obsSize, act);
        for (int o = 0; o < n; o++) {
            System.arraycopy(observations[o], 0, batchObs, o * obsSize, obsSize);
        }
        task.meanActions(batchObs, n, batchTask);
        recovery.meanActions(batchObs, n, batchRecovery);
        worldModel.costs(batchObs, batchTask, checkRecoveryCost ? batchRecovery : null, n, batchTaskCost,
                batchRecoveryCost);
        for (int o = 0; o < n; o++) {
            Result r = out[o];
            System.arraycopy(batchTask, o * act, r.taskAction, 0, act);
            System.arraycopy(batchRecovery, o * act, r.recoveryAction, 0, act);
            r.taskCost = batchTaskCost[o];
            r.recoveryCost = checkRecoveryCost ? batchRecoveryCost[o] : Double.NaN;
        }
    }

    private void ensureBatch(int n, int obsSize, int act) {
        if (batchTaskCost.length >= n) {
            return;
        }
        batchObs = new float[n * obsSize];
        batchTask = new float[n * act];
        batchRecovery = new float[n * act];
        batchTaskCost = new double[n];
        batchRecoveryCost = new double[n];
    }
}
