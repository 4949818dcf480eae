package io.farl.controller.session;

import java.util.Locale;

/**
 * What one online episode did.
 *
 * @param index              episode index within the session, from 0
 * @param seed               layout seed passed to {@code reset}
 * @param steps              control steps the robot executed (physics steps in simulation)
 * @param totalSteps         executed steps of the session up to and including this episode
 * @param episodeReturn      sum of the step rewards
 * @param success            the task goal was met
 * @param irFailureSteps     steps with C(s, a) = 1 (an episode stops at its first one; a real cell may report more)
 * @param truncated          ended by the time limit (the robot's or the session's) rather than success or failure
 * @param recoverySteps      steps the recovery policy commanded
 * @param gateInterventions  times the gate switched from the task policy to recovery (or to a hold)
 * @param holdSteps          steps that wrote a hold (gate both-unsafe, HOLD ablation, missing inputs, faults)
 * @param alarms             both-unsafe alarms raised by the gate
 * @param policyVersion      version of the task policy that acted
 * @param droppedTransitions executed steps not handed to the learner (no usable observation or proposal)
 */
public record EpisodeStats(int index, long seed, int steps, long totalSteps, double episodeReturn, boolean success,
        int irFailureSteps, boolean truncated, int recoverySteps, int gateInterventions, int holdSteps, int alarms,
        long policyVersion, int droppedTransitions) {

    /** An IR failure happened in this episode (counted apart from failure steps, open point 6). */
    public boolean failureEpisode() {
        return irFailureSteps > 0;
    }

    static final String CSV_HEADER = "index,seed,steps,totalSteps,return,success,irFailureSteps,truncated,"
            + "recoverySteps,gateInterventions,holdSteps,alarms,policyVersion,droppedTransitions";

    String toCsv() {
        return String.format(Locale.ROOT, "%d,%d,%d,%d,%s,%b,%d,%b,%d,%d,%d,%d,%d,%d", index, seed, steps, totalSteps,
                Double.toString(episodeReturn), success, irFailureSteps, truncated, recoverySteps, gateInterventions,
                holdSteps, alarms, policyVersion, droppedTransitions);
    }

    static EpisodeStats fromCsv(String line) {
        String[] f = line.split(",");
        if (f.length != 14) {
            throw new IllegalArgumentException("episode line needs 14 fields, got " + f.length + ": " + line);
        }
        return new EpisodeStats(Integer.parseInt(f[0]), Long.parseLong(f[1]), Integer.parseInt(f[2]),
                Long.parseLong(f[3]), Double.parseDouble(f[4]), Boolean.parseBoolean(f[5]), Integer.parseInt(f[6]),
                Boolean.parseBoolean(f[7]), Integer.parseInt(f[8]), Integer.parseInt(f[9]), Integer.parseInt(f[10]),
                Integer.parseInt(f[11]), Long.parseLong(f[12]), Integer.parseInt(f[13]));
    }
}
