package io.farl.controller.session;

/** How an online fine-tuning session filters the task policy's exploration. */
public enum SessionMethod {
    /**
     * FARL: the gate compares C_H of the sampled task action with ε_safe; above it the recovery policy acts (its
     * own C_H is checked too: both unsafe holds and raises an alarm, open point 4).
     */
    FARL,
    /** Ablation of FARL: above ε_safe the arm holds instead of handing over to the recovery policy. */
    FARL_HOLD,
    /**
     * Beyond the paper: the task policy's samples are filtered before the gate. Up to K samples are drawn and scored
     * in turn; the first whose C_H ≤ ε_safe is proposed (a draw from π_task restricted to the predicted-safe set, so
     * exploration is unchanged whenever the first sample is safe). When none is safe the least risky one is proposed
     * and the gate hands over to the recovery policy as in FARL.
     */
    FARL_FILTER,
    /** Baseline (Uni-O4 online PPO): no safety filtering; the sampled task action always executes. */
    PPO;

    /** True when the failure-cost model is consulted. */
    public boolean gated() {
        return this != PPO;
    }

    /** Lower-case name for files and the command line. */
    public String cliName() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** True when the recovery policy may act. */
    public boolean usesRecovery() {
        return this == FARL || this == FARL_FILTER;
    }

    /** The method with this command-line name ({@code farl}, {@code farl-hold}, {@code farl-filter}, {@code ppo}). */
    public static SessionMethod parse(String name) {
        for (SessionMethod m : values()) {
            if (m.cliName().equals(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown method '" + name + "', expected farl, farl-hold, farl-filter or ppo");
    }
}
