package io.farl.launch;

import io.farl.controller.deploy.RunReport;
import io.farl.controller.loop.ControlLoop;
import io.farl.controller.runtime.ControllerRuntime;
import io.farl.controller.runtime.StepConsumer;
import io.farl.launch.console.ConsoleServer;
import io.farl.robot.api.RobotDescription;
import java.io.IOException;
import java.util.function.LongSupplier;

/**
 * What a command built on {@code farl run} adds to the run ({@code farl session}); {@link #NONE} for a plain run.
 * Called on the command's main thread, in this order: {@link #durableSwaps} and {@link #actingVersion} while the
 * learner is made, {@link #afterRecorder} and {@link #consoleOffer} while the runtime is built, {@link #started}
 * once it runs, {@link #ended} after the report is written.
 */
interface RunExtras {

    RunExtras NONE = new RunExtras() {
    };

    /** Every policy version checkpointed before it acts. */
    default boolean durableSwaps() {
        return false;
    }

    /** The policy version to resume with (the one that acted last), or -1 for the newest checkpoint. */
    default long actingVersion() throws IOException {
        return -1;
    }

    /** Runs after the recorder on the recorder thread, or null. */
    default StepConsumer afterRecorder(ControlLoop loop, LongSupplier episode) throws IOException {
        return null;
    }

    /** What the console offers besides e-stop, pause and resume. */
    default ConsoleServer.Offer consoleOffer() {
        return new ConsoleServer.Offer("farl run has no teleoperation device", null);
    }

    /** The runtime runs. */
    default void started(ControlLoop loop, ControllerRuntime runtime, LinkSettings link, RobotDescription desc)
            throws IOException {
    }

    /** The run ended and its report is on disk. */
    default void ended(RunReport report) throws IOException {
    }
}
