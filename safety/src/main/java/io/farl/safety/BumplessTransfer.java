package io.farl.safety;

/**
 * Smooths the commanded Cartesian velocity when control changes hands between the task policy and a human: for
 * {@code periods} periods after a switch into TASK (from recovery, a human or a hold) or into HUMAN (an operator's
 * take-over, from the policy, recovery or a hold) the velocity is blended linearly from the last applied one to the
 * new source's, reaching it exactly at the last period, so the arm does not jump when a teleoperation device whose
 * command differs from the policy's takes over. A switch into RECOVERY takes effect at once (the gate judged the
 * task action unsafe, so none of it is kept), and so does HOLD or STOPPED (a stop is not delayed: an operator who
 * wants the arm stopped now pauses or presses the e-stop). Other entries (the gripper) pass through; the envelope
 * still limits them.
 *
 * <p>Not thread-safe: owned by the loop thread. {@link #reset()} on activation.
 */
public final class BumplessTransfer {
    private final int periods;
    private final int velocityOffset;
    private final double[] from = new double[3];
    private Mode source = Mode.HOLD;
    private int step;
    private boolean blending;
    private long transfers;

    /**
     * @param periods        periods over which to blend; 0 switches at once
     * @param velocityOffset first action index of the three velocity entries
     */
    public BumplessTransfer(int periods, int velocityOffset) {
        if (periods < 0) {
            throw new IllegalArgumentException("periods must be >= 0, got " + periods);
        }
        if (velocityOffset < 0) {
            throw new IllegalArgumentException("velocityOffset must be >= 0, got " + velocityOffset);
        }
        this.periods = periods;
        this.velocityOffset = velocityOffset;
    }

    /** Forget the previous source: the next command comes out of a hold. */
    public void reset() {
        source = Mode.HOLD;
        blending = false;
    }

    /** The loop holds (or is stopped) this period: no blending, and the next active source starts a transfer. */
    public void hold(Mode holdMode) {
        source = holdMode;
        blending = false;
    }

    /**
     * Blend for one period.
     *
     * @param newSource   mode whose action {@code target} is (TASK, RECOVERY or HUMAN)
     * @param target      that source's action; not modified
     * @param lastApplied the envelope's last applied action
     * @param out         receives the action to hand to the envelope (same length as target)
     */
    public void apply(Mode newSource, double[] target, SafetyEnvelope lastApplied, double[] out) {
        System.arraycopy(target, 0, out, 0, target.length);
        if (newSource != source) {
            source = newSource;
            transfers++;
            blending = false;
            if (periods > 0 && (newSource == Mode.TASK || newSource == Mode.HUMAN)) {
                blending = true;
                step = 0;
                for (int k = 0; k < 3; k++) {
                    from[k] = lastApplied.lastApplied(velocityOffset + k);
                }
            }
        }
        if (!blending) {
            return;
        }
        step++;
        double alpha = (double) step / periods;
        for (int k = 0; k < 3; k++) {
            int i = velocityOffset + k;
            out[i] = (1 - alpha) * from[k] + alpha * target[i];
        }
        if (step >= periods) {
            blending = false;
        }
    }

    /** True while a transfer is still blending. */
    public boolean blending() {
        return blending;
    }

    /** Source switches seen (into an active source). */
    public long transfers() {
        return transfers;
    }
}
