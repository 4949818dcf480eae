package io.farl.controller.deploy;

import io.farl.controller.loop.ControlLoop;
import io.farl.controller.remote.RemoteProposalSource;
import io.farl.controller.runtime.ControllerRuntime;
import io.farl.safety.Freshness;
import io.farl.safety.FreshnessWatchdog.Channel;
import io.farl.safety.Mode;

/**
 * What a deployment run ({@code farl run}) did; written as {@code run.json}.
 *
 * @param robot                 robot kind (sim, ros1, ...)
 * @param episodesRequested     the run's episode target
 * @param episodes              episodes ended
 * @param successes             episodes ended with success
 * @param irFailures            episodes ended with an IR failure
 * @param steps                 control steps
 * @param taskSteps             steps that executed the task action
 * @param recoverySteps         steps that executed the recovery action
 * @param holdSteps             steps that held
 * @param missedDeadlines       overruns + skipped deadlines of the control thread
 * @param staleObservations     steps whose observation was stale
 * @param finalHolds            final holds written at the end (at least 1 when the run ended cleanly)
 * @param latencyP50Nanos       control step latency (step start, read included, → command written), median
 * @param latencyP99Nanos       control step latency, 99th percentile
 * @param latencyMaxNanos       control step latency, maximum of the kept samples
 * @param observationToCommandP50Nanos observation arrival (stamped by the robot adapter) → command written, median
 * @param observationToCommandP99Nanos observation arrival → command written, 99th percentile
 * @param proposalAge           steps that acted on a proposal, by how many robot observations older than the step's
 *                              own the proposal's observation was
 * @param estopEngaged          the run ended because the e-stop was engaged
 * @param endedBy               why the run ended: {@code episodes} (the target was reached), {@code estop},
 *                              {@code stopped} (the supervisor latched STOPPED, which needs an operator), or
 *                              {@code interrupted} (a signal, or the control thread ended)
 * @param supervisorCause       the supervisor's latest cause when the run ended (e.g. HOLD_TIMEOUT)
 * @param learning              online fine-tuning during the run ({@code --finetune}), or null
 * @param remote                remote inference during the run ({@code --inference remote}): remote decisions,
 *                              fallbacks by cause, circuit openings, round-trip percentiles; null for local inference
 * @param remoteLearning        fine-tuning with the learner on another machine ({@code --learner remote}): steps sent,
 *                              spooled and acknowledged, policy versions received, refused, swapped and rolled back,
 *                              episodes and IR failures per acting version; null otherwise
 */
public record RunReport(String robot, int episodesRequested, int episodes, int successes, int irFailures, long steps,
        long taskSteps, long recoverySteps, long holdSteps, long missedDeadlines, long staleObservations,
        long finalHolds, long latencyP50Nanos, long latencyP99Nanos, long latencyMaxNanos,
        long observationToCommandP50Nanos, long observationToCommandP99Nanos, ProposalAge proposalAge,
        boolean estopEngaged, String endedBy, String supervisorCause, OnlineLearning.Stats learning,
        RemoteProposalSource.Stats remote, io.farl.controller.fleet.RemoteLearning.Stats remoteLearning) {

    /**
     * @param current  proposal made for the step's own observation
     * @param previous made for the observation before it (one period late at a steady rate)
     * @param older    made for an observation two or more before
     */
    public record ProposalAge(long current, long previous, long older) {
    }

    /** Why a run ended. */
    public enum Ending {
        EPISODES, ESTOP, STOPPED, INTERRUPTED;

        String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The report of a stopped runtime. */
    public static RunReport of(String robot, EpisodeTally tally, ControllerRuntime runtime, RunProbe probe,
            Ending ending, OnlineLearning.Stats learning, RemoteProposalSource.Stats remote,
            io.farl.controller.fleet.RemoteLearning.Stats remoteLearning) {
        ControlLoop loop = runtime.loop();
        long steps = 0;
        for (Mode m : Mode.values()) {
            steps += probe.steps(m);
        }
        return new RunReport(robot, tally.target(), tally.episodes(), tally.successes(), tally.irFailures(), steps,
                probe.steps(Mode.TASK), probe.steps(Mode.RECOVERY), probe.steps(Mode.HOLD),
                runtime.runner().overruns() + runtime.runner().skippedDeadlines(),
                loop.watchdog().count(Channel.OBSERVATION, Freshness.STALE), loop.finalHolds(),
                probe.latencyPercentile(0.5), probe.latencyPercentile(0.99), probe.latencyPercentile(1.0),
                probe.observationToCommandPercentile(0.5), probe.observationToCommandPercentile(0.99),
                new ProposalAge(probe.proposalLag(0), probe.proposalLag(1), probe.proposalLag(2)),
                ending == Ending.ESTOP, ending.wireName(), String.valueOf(loop.supervisor().cause()), learning,
                remote, remoteLearning);
    }
}
