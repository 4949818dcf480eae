package io.farl.launch;

import io.farl.controller.loop.OperatorInputs;
import io.farl.controller.teleop.TeleopControls;
import java.io.PrintWriter;

/**
 * A teleoperation device's controls on one loop: take over and hand back through the loop's {@link OperatorInputs},
 * quit as a stop of the runtime, and what the command does with an episode end and a failure mark.
 */
final class LoopTeleopControls implements TeleopControls {
    private final OperatorInputs operator;
    private final Runnable stop;
    private final Runnable endEpisode;
    private final Runnable markFailure;
    private final String noHandBack;
    private final PrintWriter err;

    /**
     * @param stop        stops the runtime
     * @param endEpisode  the operator's end of an episode, or null where the robot ends its own (said on err)
     * @param markFailure the operator's failure mark
     * @param noHandBack  why there is nothing to hand the arm to, or null when gated policies are there
     */
    LoopTeleopControls(OperatorInputs operator, Runnable stop, Runnable endEpisode, Runnable markFailure,
            String noHandBack, PrintWriter err) {
        this.operator = operator;
        this.stop = stop;
        this.endEpisode = endEpisode;
        this.markFailure = markFailure;
        this.noHandBack = noHandBack;
        this.err = err;
    }

    @Override
    public void endEpisode() {
        if (endEpisode != null) {
            endEpisode.run();
        } else {
            say("this robot ends its own episodes: the operator's end is not available");
        }
    }

    @Override
    public void markFailure() {
        markFailure.run();
    }

    @Override
    public void humanControl(boolean human) {
        if (human) {
            operator.takeOver();
        } else if (noHandBack != null) {
            say(noHandBack);
        } else {
            operator.handBack();
        }
    }

    @Override
    public void toggleControl() {
        humanControl(!operator.humanControl());
        say(operator.humanControl() ? "the operator drives" : "the gated policies drive");
    }

    @Override
    public void quit() {
        stop.run();
    }

    private void say(String line) {
        err.println(line);
        err.flush();
    }
}
