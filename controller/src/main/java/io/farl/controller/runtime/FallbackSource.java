package io.farl.controller.runtime;

import io.farl.controller.loop.FallbackAction;
import io.farl.robot.api.Observation;

/**
 * The local CPU copy of the recovery policy, run on its own thread so that it keeps producing when the full
 * inference stalls. Returns an action for the observation, stamped with its stamp and sequence, or null.
 */
@FunctionalInterface
public interface FallbackSource {
    FallbackAction act(Observation observation);
}
