package io.farl.controller.teleop;

import io.farl.controller.dataset.Episode;
import io.farl.controller.loop.FallbackAction;
import io.farl.controller.loop.LatestValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Teleoperation from a terminal's keys (the terminal in raw mode, one byte per key press) and the operator's decisions
 * at the end of each episode. Velocities latch: a key sets its axis's velocity and keeps it until the opposite key,
 * another speed, or space stops every axis; the envelope bounds what is sent. A publisher thread sends the current
 * command every control period, so the loop's watchdog sees a live operator.
 *
 * <pre>
 * w / s   +x / -x        a / d   +y / -y        r / f   +z / -z        space   stop all axes
 * g       gripper close / open                  e or Enter   end the episode (done)
 * m       mark the IR-failure step (now)        t   take over / hand back to the policy (with models)
 * q       stop recording
 * after an episode:  1 keep as success   2 keep as failure   3 keep as recovery
 *                    k or Enter keep with the suggested label    x discard    z record the same layout again
 * </pre>
 */
public final class KeyboardTeleop implements RecordingOperator, AutoCloseable {

    private final InputStream in;
    private final PrintWriter prompt;
    private final double speed;
    private final TeleopControls controls;
    private final double[] velocity = new double[3];
    private volatile double[] command;
    private double gripper = -1;
    private volatile boolean reviewing;
    private final BlockingQueue<Integer> decisionKeys = new LinkedBlockingQueue<>();
    private volatile boolean running;
    private Thread reader;
    private Thread publisher;

    /**
     * @param in         the terminal (raw mode)
     * @param prompt     where prompts and the episode summary go
     * @param actionSize the robot's action size: 3 velocity entries, then the gripper when there is a fourth
     * @param speed      velocity per key, normalised units in (0, 1]
     * @param controls   episode end, failure mark, takeover, quit
     */
    public KeyboardTeleop(InputStream in, PrintWriter prompt, int actionSize, double speed, TeleopControls controls) {
        if (actionSize < 3) {
            throw new IllegalArgumentException("keyboard teleoperation needs >= 3 action entries (velocity), got "
                    + actionSize);
        }
        if (!(speed > 0 && speed <= 1)) {
            throw new IllegalArgumentException("speed must be in (0, 1], got " + speed);
        }
        this.in = in;
        this.prompt = prompt;
        this.speed = speed;
        this.controls = controls;
        this.command = new double[actionSize];
        publishCommand();
    }

    /** Read keys and send the command every {@code periodNanos} to {@code commands}, stamped by {@code clock}. */
    public void start(LatestValue<FallbackAction> commands, long periodNanos, LongSupplier clock) {
        running = true;
        reader = new Thread(this::readKeys, "farl-teleop-keys");
        reader.setDaemon(true);
        reader.start();
        publisher = new Thread(() -> {
            long sequence = 0;
            while (running) {
                commands.publish(new FallbackAction(clock.getAsLong(), ++sequence, command));
                LockSupport.parkNanos(periodNanos);
            }
        }, "farl-teleop-publisher");
        publisher.setDaemon(true);
        publisher.start();
    }

    /** True while {@link #decide} waits for a decision key. */
    boolean reviewing() {
        return reviewing;
    }

    /** The command sent now. */
    public double[] command() {
        return command.clone();
    }

    /** One key press (the reader thread calls this for every byte). */
    void key(int k) {
        if (reviewing && "123kxz\r\n".indexOf(k) >= 0) {
            decisionKeys.add(k);
            return;
        }
        switch (k) {
            case 'w' -> axis(0, speed);
            case 's' -> axis(0, -speed);
            case 'a' -> axis(1, speed);
            case 'd' -> axis(1, -speed);
            case 'r' -> axis(2, speed);
            case 'f' -> axis(2, -speed);
            case ' ' -> {
                java.util.Arrays.fill(velocity, 0);
                publishCommand();
            }
            case 'g' -> {
                gripper = -gripper;
                publishCommand();
            }
            case 'e', '\r', '\n' -> controls.endEpisode();
            case 'm' -> controls.markFailure();
            case 't' -> controls.toggleControl();
            case 'q', 3 -> controls.quit();
            default -> { }
        }
    }

    @Override
    public EpisodeDecision decide(EpisodeReview r) throws InterruptedException {
        decisionKeys.clear();
        prompt.printf(Locale.ROOT, "%nepisode %d/%d (seed %d): %d steps (%d by hand), robot: %s%s; suggested %s%n"
                        + "  1 success  2 failure  3 recovery  k/Enter keep as %s  x discard  z record again%n",
                r.number(), r.target(), r.seed(), r.steps(), r.humanSteps(),
                r.irFailure() ? "IR failure" : r.success() ? "goal reached" : "no verdict",
                r.failureStep() >= 0 ? ", failure at step " + r.failureStep() : "", r.suggested(), r.suggested());
        prompt.flush();
        reviewing = true;
        try {
            while (true) {
                int k = decisionKeys.take();
                EpisodeDecision d = switch (k) {
                    case '1' -> EpisodeDecision.keep(Episode.Label.SUCCESS, "");
                    case '2' -> EpisodeDecision.keep(Episode.Label.FAILURE, "");
                    case '3' -> EpisodeDecision.keep(Episode.Label.RECOVERY, "");
                    case 'k', '\r', '\n' -> EpisodeDecision.keep(r.suggested(), "");
                    case 'x' -> EpisodeDecision.discard();
                    case 'z' -> EpisodeDecision.rerecord();
                    default -> null;
                };
                if (d != null) {
                    prompt.println(d.verdict() == EpisodeDecision.Verdict.KEEP ? "kept as " + d.label()
                            : d.verdict() == EpisodeDecision.Verdict.DISCARD ? "discarded" : "discarded; same layout again");
                    prompt.flush();
                    return d;
                }
            }
        } finally {
            reviewing = false;
        }
    }

    @Override
    public void close() {
        running = false;
        if (publisher != null) {
            publisher.interrupt();
        }
        if (reader != null) {
            reader.interrupt();
        }
    }

    private void axis(int i, double v) {
        velocity[i] = v;
        publishCommand();
    }

    private void publishCommand() {
        double[] c = new double[command.length];
        System.arraycopy(velocity, 0, c, 0, 3);
        if (c.length > 3) {
            c[3] = gripper;
        }
        command = c;
    }

    private void readKeys() {
        try {
            int k;
            while (running && (k = in.read()) >= 0) {
                key(k);
            }
        } catch (IOException e) {
            prompt.println("keyboard teleoperation stopped: " + e.getMessage());
            prompt.flush();
        }
        if (running) {
            controls.quit();
        }
    }
}
