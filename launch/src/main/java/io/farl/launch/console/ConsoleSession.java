package io.farl.launch.console;

import io.farl.controller.console.ConsoleControls;
import io.farl.controller.console.ConsoleProbe;
import io.farl.controller.console.ConsoleSampler;
import io.farl.controller.console.ConsoleState;
import io.farl.controller.loop.ControlLoop;
import io.farl.controller.runtime.StepConsumer;
import io.farl.controller.runtime.StepProbe;
import io.farl.robot.api.RobotDescription;
import io.farl.safety.Mode;

/**
 * The controller-side parts of an operator console for one loop, wired before the runtime is built: the sampler
 * (recorder thread), the probe (control thread) and the controls (console threads).
 *
 * <p>Use: {@code of(loop, description, runProbe)}; give the runtime builder {@link #probe()} and
 * {@code drain(queue, session.after(recorder))}; then start a {@link ConsoleServer}.
 */
public final class ConsoleSession {
    private final ConsoleSampler sampler;
    private final ConsoleProbe probe;
    private final ConsoleControls controls;

    private ConsoleSession(ConsoleSampler sampler, ConsoleProbe probe, ConsoleControls controls) {
        this.sampler = sampler;
        this.probe = probe;
        this.controls = controls;
    }

    /**
     * @param runProbe the command's own probe, called first on every step (may be null)
     */
    public static ConsoleSession of(ControlLoop loop, RobotDescription description, StepProbe runProbe) {
        ConsoleSampler sampler = ConsoleSampler.of(loop, description);
        loop.supervisor().addListener(sampler);
        ConsoleProbe probe = new ConsoleProbe(runProbe);
        return new ConsoleSession(sampler, probe, new ConsoleControls(loop.operator(), probe));
    }

    /** {@code recorder}, then the console's sampler, on the recorder thread. */
    public StepConsumer after(StepConsumer recorder) {
        return recorder == null ? sampler : recorder.andThen(sampler);
    }

    /** The runtime's probe: the command's own, then the console's counters. */
    public ConsoleProbe probe() {
        return probe;
    }

    public ConsoleSampler sampler() {
        return sampler;
    }

    public ConsoleControls controls() {
        return controls;
    }

    /** What the page shows now. */
    public ConsoleState state() {
        return sampler.snapshot(controls.state());
    }

    /**
     * True when the latest step wrote STOPPED and the console did not pause the run: a stop the console's operator
     * cannot undo with resume (an e-stop, a fault latch, a hold timeout).
     */
    public boolean stoppedForGood() {
        return probe.lastMode() == Mode.STOPPED && !controls.paused();
    }
}
