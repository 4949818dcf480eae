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

    /** The method with this command-line name ({@code farl}, {@code farl-hold}, {@code ppo}). */
    public static SessionMethod parse(String name) {
        for (SessionMethod m : values()) {
            if (m.cliName().equals(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown method '" + name + "', expected farl, farl-hold or ppo");
    }
}
