package io.farl.controller.loop;

import io.farl.safety.EnvelopeConfig;
import io.farl.safety.GateConfig;
import io.farl.safety.SupervisorConfig;
import io.farl.safety.WatchdogConfig;

/**
 * Configuration of a {@link ControlLoop}: the safety components' own configs plus the loop's choices.
 *
 * @param envelope           hard limits (may only tighten the robot description)
 * @param gate               C_H threshold and hysteresis
 * @param supervisor         fault policy
 * @param watchdog           age limits of observations, proposals, fallback and human commands
 * @param transferPeriods    periods over which a change of command source is blended; 0 for none
 * @param fallbackToRecovery on a proposal deadline miss, execute a fresh fallback recovery action if there is one
 *                           (else hold)
 */
public record LoopConfig(EnvelopeConfig envelope, GateConfig gate, SupervisorConfig supervisor,
        WatchdogConfig watchdog, int transferPeriods, boolean fallbackToRecovery) {
    public LoopConfig {
        if (envelope == null || gate == null || supervisor == null || watchdog == null) {
            throw new IllegalArgumentException("envelope, gate, supervisor and watchdog configs must be given");
        }
        if (transferPeriods < 0) {
            throw new IllegalArgumentException("transferPeriods must be >= 0, got " + transferPeriods);
        }
    }
}
