package io.farl.launch;

import io.farl.controller.deploy.EpisodeTally;
import io.farl.controller.loop.ControlLoop;
import io.farl.controller.runtime.ControllerRuntime;
import io.farl.controller.runtime.StepProbe;
import io.farl.launch.console.ConsoleMetrics;
import io.farl.launch.console.ConsoleServer;
import io.farl.launch.console.ConsoleSession;
import io.farl.robot.api.RobotDescription;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import picocli.CommandLine.Option;

/**
 * {@code --console HOST:PORT}: the operator console and {@code /metrics} of a command that drives a loop. A command
 * adds it as a mixin and calls, in order: {@link #session} (before building the runtime; null without
 * {@code --console}), then {@link #start} once the runtime exists, and closes the server when the run ends.
 */
final class ConsoleOptions {
    @Option(names = "--console", paramLabel = "HOST:PORT", description = "Serve the operator console (live C_H "
            + "against eps_safe, mode and cause, envelope interventions, traces, alarms; e-stop, pause/resume) and "
            + "Prometheus metrics at /metrics on HOST:PORT (HOST defaults to localhost; port 0 picks a free one). "
            + "Changes other than the e-stop need the token printed at start.")
    String console;

    boolean enabled() {
        return console != null;
    }

    /** The address of {@code --console}: {@code PORT}, {@code :PORT}, {@code HOST:PORT} or {@code [V6]:PORT}. */
    static InetSocketAddress address(String spec) {
        int colon = spec.lastIndexOf(':');
        String host = colon < 0 ? "" : spec.substring(0, colon);
        String port = spec.substring(colon + 1);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int p;
        try {
            p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new BadInputException("--console " + spec + ": expected HOST:PORT, e.g. 127.0.0.1:8080");
        }
        if (p < 0 || p > 65535) {
            throw new BadInputException("--console " + spec + ": port must be in 0..65535");
        }
        return new InetSocketAddress(host.isEmpty() ? "localhost" : host, p);
    }

    /** The console's parts for {@code loop}, or null without {@code --console}; checks the address first. */
    ConsoleSession session(ControlLoop loop, RobotDescription description, StepProbe runProbe) {
        if (!enabled()) {
            return null;
        }
        InetSocketAddress a = address(console);
        if (a.isUnresolved()) {
            throw new BadInputException("--console " + console + ": unknown host " + a.getHostString());
        }
        return ConsoleSession.of(loop, description, runProbe);
    }

    /**
     * Serve {@code session} over {@code runtime}, and print {@code console: URL (token T)} on {@code out}.
     *
     * @param tally the run's episodes for the metrics, or null
     * @param offer what the command offers besides e-stop, pause and resume
     */
    ConsoleServer start(ConsoleSession session, ControllerRuntime runtime, EpisodeTally tally,
            ConsoleServer.Offer offer, PrintWriter out) {
        String token = ConsoleServer.newToken();
        ConsoleServer server;
        try {
            server = ConsoleServer.start(address(console), session, ConsoleMetrics.registry(session, runtime, tally),
                    offer, token);
        } catch (IOException e) {
            throw new BadInputException("--console " + console + ": cannot listen there: " + e.getMessage());
        }
        out.println("console: " + server.url() + " (token " + token + ")");
        out.flush();
        return server;
    }
}
