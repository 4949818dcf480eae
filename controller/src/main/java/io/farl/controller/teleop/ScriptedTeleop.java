package io.farl.controller.teleop;

import io.farl.controller.loop.FallbackAction;
import io.farl.controller.loop.LatestValue;
import io.farl.robot.api.Observation;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * A scripted operator's hands: for each observation as it arrives, the episode's script chooses the action, sent to
 * the loop as a teleoperation command. Runs on the thread that delivers observations (in process, the control thread,
 * which also starts episodes), so a script may read the simulator it was made for.
 */
public final class ScriptedTeleop implements Consumer<Observation> {

    /** The operator's behaviour in one episode. */
    @FunctionalInterface
    public interface Script {
        double[] act(double[] observation);
    }

    private final LatestValue<FallbackAction> commands;
    private final LongSupplier clock;
    private Script script;

    /**
     * @param commands the loop's teleoperation commands
     * @param clock    the loop's clock (stamps the commands)
     */
    public ScriptedTeleop(LatestValue<FallbackAction> commands, LongSupplier clock) {
        this.commands = commands;
        this.clock = clock;
    }

    /** The script of the episode that starts now. */
    public void begin(Script episodeScript) {
        this.script = episodeScript;
    }

    @Override
    public void accept(Observation o) {
        Script s = script;
        if (s != null) {
            commands.publish(new FallbackAction(clock.getAsLong(), o.sequence(), s.act(o.values())));
        }
    }
}
