package io.farl.controller.loop;

import io.farl.robot.api.Observation;
import io.farl.robot.api.RobotStatus;
import io.farl.safety.Cause;
import io.farl.safety.Freshness;
import io.farl.safety.FreshnessWatchdog;
import io.farl.safety.FreshnessWatchdog.Channel;

/**
 * The control loop's observation side: whether the observation a step read is usable (the robot's status, size,
 * finiteness, freshness and order through the {@link FreshnessWatchdog}), and the hand-over of usable ones to the
 * policy thread through {@link #observations()}. A robot adapter may publish observations there on arrival, so the
 * policy thread proposes for them at once; the hand-over never replaces a newer one. Control thread only, except
 * {@link #observations()}.
 */
final class ObservationIntake {
    private final int observationSize;
    private final FreshnessWatchdog watchdog;
    private final LatestValue<Observation> observations = new LatestValue<>();
    private long lastHandedOver = Long.MIN_VALUE;

    ObservationIntake(int observationSize, FreshnessWatchdog watchdog) {
        this.observationSize = observationSize;
        this.watchdog = watchdog;
    }

    /** Each fresh observation, for the policy thread. */
    LatestValue<Observation> observations() {
        return observations;
    }

    /** Forget what was handed over (a new run: nothing from before is replayed). */
    void reset() {
        observations.clear();
        lastHandedOver = Long.MIN_VALUE;
    }

    /** Null when the observation is usable, else the hold or fault cause. */
    Cause check(RobotStatus status, Observation obs, long now) {
        switch (status) {
            case OK:
                break;
            case NO_DATA:
                return Cause.OBSERVATION_MISSING;
            case STALE:
                return Cause.OBSERVATION_STALE;
            case FAULT:
                return Cause.OBSERVATION_FAULT;
            default:
                return Cause.ROBOT_NOT_ACTIVE;
        }
        if (obs == null) {
            watchdog.missing(Channel.OBSERVATION);
            return Cause.OBSERVATION_MISSING;
        }
        if (obs.values().length != observationSize || obs.firstNonFinite() >= 0) {
            return Cause.OBSERVATION_FAULT;
        }
        Freshness f = watchdog.check(Channel.OBSERVATION, obs.stampNanos(), obs.sequence(), now);
        return f.usable() ? null : Cause.OBSERVATION_STALE;
    }

    /**
     * Hands the observation a step acted on to the policy thread, unless it was handed over already or a newer one
     * is there: arrival stamps on this machine's clock decide, and sequences only between equal stamps (they restart
     * with the robot side).
     */
    void handOver(Observation obs) {
        if (obs.sequence() != lastHandedOver) {
            lastHandedOver = obs.sequence();
            Observation there = observations.latest();
            long newer = there == null ? 1 : obs.stampNanos() - there.stampNanos();
            if (newer > 0 || (newer == 0 && obs.sequence() > there.sequence())) {
                observations.publish(obs);
            }
        }
    }
}
