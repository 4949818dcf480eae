package io.farl.pipeline.bench;

import io.farl.controller.session.SessionMethod;

/** What a benchmark run fine-tunes with. */
public enum BenchMethod {
    /** FARL: world-model C_H gate, recovery policy */
    FARL("farl", SessionMethod.FARL),
    /** unfiltered PPO from the same pretrained policy */
    PPO("ppo", SessionMethod.PPO),
    /** ablation: a model-free whole-episode safety critic in place of the world-model rollout */
    FARL_CRITIC("farl-critic", SessionMethod.FARL),
    /** ablation: a hold in place of the recovery policy */
    FARL_HOLD("farl-hold", SessionMethod.FARL_HOLD),
    /** beyond the paper: the first predicted-safe of up to K task samples, recovery when none is */
    FARL_FILTER("farl-filter", SessionMethod.FARL_FILTER),
    /** PPO on the sparse variant of the task: reward 1 on reaching the goal, 0 otherwise */
    PPO_SPARSE("ppo-sparse", SessionMethod.PPO),
    /** PPO on the sparse variant plus the TW-CRL reward learned from the pretraining's successes and failures */
    PPO_TW_CRL("ppo-tw-crl", SessionMethod.PPO),
    /** as ppo-tw-crl, with the TW-CRL reward refitted to the run's own episodes before every PPO batch */
    PPO_TW_CRL_ONLINE("ppo-tw-crl-online", SessionMethod.PPO),
    /** GAIL: PPO rewarded with −log D of a discriminator between its own pairs and the expert demonstrations */
    GAIL("gail", SessionMethod.PPO),
    /** GAILFE: GAIL whose discriminator also learns from a replay buffer of failed trajectories */
    GAILFE("gailfe", SessionMethod.PPO);

    private final String cliName;
    private final SessionMethod session;

    BenchMethod(String cliName, SessionMethod session) {
        this.cliName = cliName;
        this.session = session;
    }

    public String cliName() {
        return cliName;
    }

    public SessionMethod session() {
        return session;
    }

    public boolean gated() {
        return session.gated();
    }

    /** The two ablations (model-free critic, hold in place of recovery). */
    public boolean ablation() {
        return this == FARL_CRITIC || this == FARL_HOLD;
    }

    /**
     * Methods beyond the FARL/PPO comparison (the ablations and farl-filter): a benchmark may run them on fewer seeds
     * than FARL and PPO ({@code --ablation-seeds}).
     */
    public boolean secondary() {
        return ablation() || this == FARL_FILTER;
    }

    /** Needs a learned reward of the pretrained models. */
    public boolean learnedReward() {
        return this == PPO_TW_CRL || this == PPO_TW_CRL_ONLINE;
    }

    /** Adversarial imitation (GAIL or GAILFE): PPO's reward comes from a discriminator, not the task. */
    public boolean imitation() {
        return this == GAIL || this == GAILFE;
    }

    /** The bench method named {@code name} on the command line. */
    public static BenchMethod parse(String name) {
        for (BenchMethod m : values()) {
            if (m.cliName.equals(name)) {
                return m;
            }
        }
        StringBuilder known = new StringBuilder();
        for (BenchMethod m : values()) {
            known.append(known.isEmpty() ? "" : ", ").append(m.cliName);
        }
        throw new IllegalArgumentException("unknown bench method '" + name + "', expected one of " + known);
    }
}
