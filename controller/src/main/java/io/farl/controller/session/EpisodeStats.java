package io.farl.controller.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What one online episode did.
 *
 * <p>Step indices ({@code failureStep}, {@code alarmSteps}) count the episode's executed steps from 0: step k is
 * the k-th action the robot executed in this episode, and an IR failure at step k is the one that action caused.
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
 * @param alarms             gate warnings: stretches in which the gate judged the task action unsafe (a switch to
 *                           recovery or a both-unsafe alarm), one per stretch
 * @param policyVersion      version of the task policy that acted
 * @param droppedTransitions executed steps not handed to the learner (no usable observation or proposal)
 * @param overrideSteps      executed steps whose mode was not TASK (recovery, hold, stop, human)
 * @param failureStep        step index of the first IR-failure step; -1 when the episode had none, or when it
 *                           comes from a checkpoint written before this field existed ({@link #failureStepKnown()})
 * @param alarmSteps         step index at which each warning stretch began, ascending (empty for episodes
 *                           restored from checkpoints written before this field existed)
 * @param failureMode        the loop mode of the first IR-failure step (TASK, RECOVERY, HOLD, STOPPED, HUMAN): who
 *                           acted when the failure happened; empty when the episode had none or the checkpoint predates
 *                           this field
 * @param stepsSinceOverride the first IR-failure step minus the latest overridden (non-TASK) step at or before it: 0
 *                           when the failing step itself was overridden, k &gt; 0 when the task policy had been given
 *                           the arm back k steps before, -1 when nothing was overridden before the failure (or
 *                           unknown)
 * @param overrideStretch    consecutive overridden steps ending with the first IR-failure step: how long recovery
 *                           (or a hold) had had the arm when the failure happened; 0 when the failing step was the
 *                           task policy's, no failure, or unknown
 */
public record EpisodeStats(int index, long seed, int steps, long totalSteps, double episodeReturn, boolean success,
        int irFailureSteps, boolean truncated, int recoverySteps, int gateInterventions, int holdSteps, int alarms,
        long policyVersion, int droppedTransitions, int overrideSteps, int failureStep, List<Integer> alarmSteps,
        String failureMode, int stepsSinceOverride, int overrideStretch) {

    public EpisodeStats {
        alarmSteps = alarmSteps == null ? List.of() : List.copyOf(alarmSteps);
        failureMode = failureMode == null ? "" : failureMode;
    }

    /** An episode without the failure's lead-up (no failure, or not recorded). */
    public EpisodeStats(int index, long seed, int steps, long totalSteps, double episodeReturn, boolean success,
            int irFailureSteps, boolean truncated, int recoverySteps, int gateInterventions, int holdSteps, int alarms,
            long policyVersion, int droppedTransitions, int overrideSteps, int failureStep, List<Integer> alarmSteps) {
        this(index, seed, steps, totalSteps, episodeReturn, success, irFailureSteps, truncated, recoverySteps,
                gateInterventions, holdSteps, alarms, policyVersion, droppedTransitions, overrideSteps, failureStep,
                alarmSteps, "", -1, 0);
    }

    /** An IR failure happened in this episode (counted apart from failure steps, open point 6). */
    public boolean failureEpisode() {
        return irFailureSteps > 0;
    }

    /** True when this failure episode records the step of its failure (false for episodes without failure). */
    public boolean failureStepKnown() {
        return failureEpisode() && failureStep >= 0;
    }

    /** CSV columns of the first checkpoint format (14 fields); still read, with the newer fields filled in. */
    static final int CSV_FIELDS_V1 = 14;
    /** CSV columns of the second checkpoint format (17 fields, without the failure's lead-up); still read. */
    static final int CSV_FIELDS_V2 = 17;
    /** CSV columns of the current checkpoint format. */
    static final int CSV_FIELDS = 20;

    static final String CSV_HEADER = "index,seed,steps,totalSteps,return,success,irFailureSteps,truncated,"
            + "recoverySteps,gateInterventions,holdSteps,alarms,policyVersion,droppedTransitions,overrideSteps,"
            + "failureStep,alarmSteps,failureMode,stepsSinceOverride,overrideStretch";

    String toCsv() {
        StringBuilder alarmList = new StringBuilder();
        for (int s : alarmSteps) {
            if (!alarmList.isEmpty()) {
                alarmList.append(';');
            }
            alarmList.append(s);
        }
        return String.format(Locale.ROOT, "%d,%d,%d,%d,%s,%b,%d,%b,%d,%d,%d,%d,%d,%d,%d,%d,%s,%s,%d,%d", index, seed,
                steps, totalSteps, Double.toString(episodeReturn), success, irFailureSteps, truncated, recoverySteps,
                gateInterventions, holdSteps, alarms, policyVersion, droppedTransitions, overrideSteps, failureStep,
                alarmList, failureMode, stepsSinceOverride, overrideStretch);
    }

    /**
     * Parses a line of any checkpoint format. Lines of the first format (14 fields) have no override count,
     * failure step or alarm steps: the override count becomes recovery + hold steps (every non-TASK mode a simulated
     * session executes), the failure step -1 (unknown) and the alarm steps empty. Lines of the second (17 fields)
     * have no failure mode (empty), no steps since the last override (-1) and no override stretch (0).
     */
    static EpisodeStats fromCsv(String line) {
        String[] f = line.split(",", -1);
        if (f.length != CSV_FIELDS && f.length != CSV_FIELDS_V2 && f.length != CSV_FIELDS_V1) {
            throw new IllegalArgumentException("episode line needs " + CSV_FIELDS + " fields (or " + CSV_FIELDS_V2
                    + " or " + CSV_FIELDS_V1 + " in checkpoints of earlier formats), got " + f.length + ": " + line);
        }
        int recovery = Integer.parseInt(f[8]);
        int holds = Integer.parseInt(f[10]);
        int overrides = recovery + holds;
        int failureStep = -1;
        List<Integer> alarmSteps = new ArrayList<>();
        if (f.length >= CSV_FIELDS_V2) {
            overrides = Integer.parseInt(f[14]);
            failureStep = Integer.parseInt(f[15]);
            if (!f[16].isEmpty()) {
                for (String s : f[16].split(";")) {
                    alarmSteps.add(Integer.parseInt(s));
                }
            }
        }
        return new EpisodeStats(Integer.parseInt(f[0]), Long.parseLong(f[1]), Integer.parseInt(f[2]),
                Long.parseLong(f[3]), Double.parseDouble(f[4]), Boolean.parseBoolean(f[5]), Integer.parseInt(f[6]),
                Boolean.parseBoolean(f[7]), recovery, Integer.parseInt(f[9]), holds, Integer.parseInt(f[11]),
                Long.parseLong(f[12]), Integer.parseInt(f[13]), overrides, failureStep, alarmSteps,
                f.length == CSV_FIELDS ? f[17] : "", f.length == CSV_FIELDS ? Integer.parseInt(f[18]) : -1,
                f.length == CSV_FIELDS ? Integer.parseInt(f[19]) : 0);
    }
}
