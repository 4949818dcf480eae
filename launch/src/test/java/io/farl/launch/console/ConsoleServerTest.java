package io.farl.launch.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.farl.controller.deploy.EpisodeTally;
import io.farl.controller.loop.ControlLoop;
import io.farl.controller.loop.ManualLoopClock;
import io.farl.controller.runtime.ControllerRuntime;
import io.farl.pipeline.online.OnlineRun;
import io.farl.robot.api.RobotDescription;
import io.farl.robot.sim.FaultInjection;
import io.farl.robot.sim.SimConfig;
import io.farl.robot.sim.SimRobot;
import io.farl.robot.sim.TaskId;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The console's HTTP side on a loop that is wired but not running: token checks, endpoints and metric names. */
class ConsoleServerTest {
    private static final String TOKEN = "0123456789abcdef0123456789abcdef";
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<String> labels = new ArrayList<>();
    private ControlLoop loop;
    private ConsoleSession session;
    private ConsoleServer server;

    @BeforeEach
    void start() throws Exception {
        SimRobot sim = new SimRobot(TaskId.BOUNDED_PUSH, SimConfig.defaults(), FaultInjection.none());
        RobotDescription d = sim.description();
        loop = new ControlLoop(sim, OnlineRun.loopConfig(d, 0.4), List.of());
        session = ConsoleSession.of(loop, d, null);
        ControllerRuntime runtime = ControllerRuntime.builder(sim, loop, new ManualLoopClock(0), d.controlPeriodNanos())
                .probe(session.probe()).build();
        server = ConsoleServer.start(new InetSocketAddress("127.0.0.1", 0), session,
                ConsoleMetrics.registry(session, runtime, new EpisodeTally(3)),
                new ConsoleServer.Offer(null, l -> {
                    if (!l.equals("success")) {
                        throw new IllegalArgumentException("unknown label " + l);
                    }
                    labels.add(l);
                    return "labelled " + l;
                }), TOKEN);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.url() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header(ConsoleServer.TOKEN_HEADER, token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldServeTheSelfContainedPage() throws Exception {
        HttpResponse<String> r = get("");
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("<canvas id=\"plot\""));
        assertFalse(r.body().matches("(?s).*(src|href)=\"https?://.*"), "the page must not load anything from outside");
    }

    @Test
    void shouldServeTheStateAsJson() throws Exception {
        HttpResponse<String> r = get("api/state");
        assertEquals(200, r.statusCode());
        JsonNode s = new ObjectMapper().readTree(r.body());
        assertEquals(0.4, s.get("epsilonSafe").asDouble());
        assertEquals(-1, s.get("step").asLong());
        assertFalse(s.get("operator").get("estopEngaged").asBoolean());
    }

    @Test
    void shouldRefuseAPauseWithoutTheTokenAndChangeNothing() throws Exception {
        assertEquals(401, post("api/pause", null, "").statusCode());
        assertEquals(403, post("api/pause", "ffff" + TOKEN.substring(4), "").statusCode());
        assertEquals(403, post("api/label", "wrong", "label=success").statusCode());
        assertFalse(session.controls().paused());
        assertTrue(labels.isEmpty());
    }

    @Test
    void shouldAcceptAPauseWithTheToken() throws Exception {
        HttpResponse<String> r = post("api/pause", TOKEN, "");
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(session.controls().paused());
    }

    @Test
    void shouldAcceptTheBearerForm() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.url() + "api/takeover"))
                .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(loop.operator().humanControl());
    }

    @Test
    void shouldEngageTheEstopWithoutAToken() throws Exception {
        assertEquals(200, post("api/estop", null, "").statusCode());
        assertTrue(loop.operator().estopEngaged());
    }

    @Test
    void shouldAllowChangesOnlyByPost() throws Exception {
        assertEquals(405, get("api/estop").statusCode());
        assertFalse(loop.operator().estopEngaged());
        assertEquals(405, get("api/pause").statusCode());
    }

    @Test
    void shouldHandLabelsToTheCommandsLabeler() throws Exception {
        assertEquals(200, post("api/label", TOKEN, "label=success").statusCode());
        assertEquals(400, post("api/label", TOKEN, "label=nonsense").statusCode());
        assertEquals(List.of("success"), labels);
    }

    @Test
    void shouldAnswerConflictForWhatTheCommandDoesNotOffer() throws Exception {
        server.close();
        server = ConsoleServer.start(new InetSocketAddress("127.0.0.1", 0), session,
                ConsoleMetrics.registry(session, ControllerRuntime.builder(new SimRobot(TaskId.BOUNDED_PUSH,
                        SimConfig.defaults(), FaultInjection.none()), loop, new ManualLoopClock(0), 1).build(), null),
                new ConsoleServer.Offer("no teleoperation device", null), TOKEN);
        HttpResponse<String> r = post("api/takeover", TOKEN, "");
        assertEquals(409, r.statusCode());
        assertTrue(r.body().contains("not available in this command"), r.body());
        assertEquals(409, post("api/label", TOKEN, "label=success").statusCode());
        assertFalse(loop.operator().humanControl());
    }

    @Test
    void shouldExposePrometheusMetricsNamedFarl() throws Exception {
        HttpResponse<String> r = get("metrics");
        assertEquals(200, r.statusCode());
        List<String> names = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]").matcher(r.body());
        while (m.find()) {
            names.add(m.group(1));
        }
        assertFalse(names.isEmpty(), r.body());
        for (String n : names) {
            assertTrue(n.startsWith("farl_"), "metric " + n + " is not named farl_…");
        }
        for (String expected : List.of("farl_loop_steps_total", "farl_loop_overruns_total",
                "farl_loop_missed_deadlines_total", "farl_loop_step_latency_seconds_count",
                "farl_loop_step_latency_seconds_sum", "farl_loop_step_latency_max_seconds", "farl_mode_steps_total",
                "farl_mode_time_seconds_total",
                "farl_fallback_steps_total", "farl_envelope_interventions_total", "farl_alarms_total",
                "farl_ir_failures_total", "farl_episodes_total", "farl_task_cost", "farl_epsilon_safe",
                "farl_policy_version", "farl_estop_engaged")) {
            assertTrue(names.contains(expected), expected + " missing from " + names);
        }
        assertTrue(r.body().contains("farl_mode_steps_total{mode=\"RECOVERY\"}"), r.body());
        assertTrue(r.body().contains("farl_envelope_interventions_total{limit=\"WORKSPACE\"}"), r.body());
    }
}
