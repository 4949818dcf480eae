package io.farl.launch;

import io.farl.controller.deploy.RunReport;
import io.farl.controller.loop.ControlLoop;
import io.farl.controller.runtime.ControllerRuntime;
import io.farl.controller.runtime.StepConsumer;
import io.farl.controller.session.SessionEvent;
import io.farl.controller.session.SessionEventLog;
import io.farl.controller.session.SessionObserver;
import io.farl.launch.console.ConsoleServer;
import io.farl.robot.api.RobotDescription;
import io.farl.pipeline.learn.ModelBundle;
import io.farl.pipeline.report.SessionReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.LongSupplier;

/** What {@code farl session} adds to {@code farl run}: the event log, durable swaps, the device, the labels. */
final class SessionExtras implements RunExtras, AutoCloseable {
    private final SessionCommand command;
    private final SessionEventLog log;
    private final PrintWriter out;
    private final PrintWriter err;
    private SessionObserver observer;
    private TeleopDevices.Opened device;

    SessionExtras(SessionCommand command, SessionEventLog log, PrintWriter out, PrintWriter err) {
        this.command = command;
        this.log = log;
        this.out = out;
        this.err = err;
    }

    @Override
    public boolean durableSwaps() {
        return true;
    }

    /** The version of the newest POLICY event in the log: the version that acted last before a restart. */
    @Override
    public long actingVersion() throws IOException {
        long version = -1;
        for (SessionEvent e : SessionEventLog.read(log.file())) {
            if (e.kind() == SessionEvent.Kind.POLICY) {
                version = Long.parseLong(e.detail());
            }
        }
        return version;
    }

    @Override
    public StepConsumer afterRecorder(ControlLoop loop, LongSupplier episode) {
        observer = new SessionObserver(log, loop.operator(), episode, System::currentTimeMillis);
        observer.log(SessionEvent.Kind.START, "farl session --models " + command.models + " --task " + command.task);
        return observer;
    }

    @Override
    public ConsoleServer.Offer consoleOffer() {
        return new ConsoleServer.Offer(command.teleop.equals("none") ? "no --teleop device to drive the arm with"
                : null, this::label);
    }

    /** A console label for the episode running: logged, the dataset keeps the robot's own verdict. */
    private String label(String label) {
        SessionEvent.Kind kind = switch (label.toLowerCase(Locale.ROOT)) {
            case "success" -> SessionEvent.Kind.LABEL_SUCCESS;
            case "failure" -> SessionEvent.Kind.LABEL_FAILURE;
            case "recovery" -> SessionEvent.Kind.LABEL_RECOVERY;
            case "mark-failure" -> SessionEvent.Kind.MARK_FAILURE;
            default -> throw new IllegalArgumentException("label must be success, failure, recovery or mark-failure, "
                    + "got " + label);
        };
        observer.log(kind, "console");
        return "logged " + kind;
    }

    @Override
    public void started(ControlLoop loop, ControllerRuntime runtime, LinkSettings link, RobotDescription desc) {
        if (command.teleop.equals("none")) {
            return;
        }
        device = TeleopDevices.open(command.teleop, command.teleop.equals("mqtt") ? command.mqtt.link(link.mqtt())
                : null, link.ros1(), command.master, command.host, "/farl_session", desc, loop.humanCommands(),
                // a session's episodes end where the robot ends them: the device's "done" does nothing here
                new LoopTeleopControls(loop.operator(), runtime::requestStop, () -> { },
                        () -> observer.log(SessionEvent.Kind.MARK_FAILURE, command.teleop), null, err));
    }

    /** Closes the device, logs the end and writes OUT/report/ from the whole dataset and event log. */
    @Override
    public void ended(RunReport report) throws IOException {
        closeDevice();
        observer.log(SessionEvent.Kind.END, "ended by " + report.endedBy() + ": " + report.episodes() + " episodes, "
                + report.irFailures() + " IR failures");
        ModelBundle bundle = new ModelBundle(command.models);
        double eps = bundle.calibration().map(c -> bundle.calibrationValue(c, "epsilonSafe")).orElse(Double.NaN);
        Path folder = command.out.resolve("report");
        SessionReport.Summary s = SessionReport.write(command.out.resolve("run.farl"),
                SessionEventLog.read(log.file()), eps, folder);
        PrintWriter w = out;
        w.printf(Locale.ROOT, "session report: %s (%d episodes in the session folder, %d IR failures, %d operator "
                + "events)%n", folder.resolve("report.html"), s.episodes(), s.irFailure().count(), s.events().size());
        w.flush();
    }

    private void closeDevice() {
        if (device != null) {
            device.close();
            err.println(device.summary());
            err.flush();
            device = null;
        }
    }

    @Override
    public void close() {
        closeDevice();
    }
}
