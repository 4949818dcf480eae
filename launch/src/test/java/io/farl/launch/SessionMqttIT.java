package io.farl.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.farl.controller.dataset.DatasetReader;
import io.farl.controller.dataset.Episode;
import io.farl.controller.deploy.RunReport;
import io.farl.controller.session.SessionEvent;
import io.farl.controller.session.SessionEventLog;
import io.farl.protocol.v1.TeleopCommand;
import io.farl.robot.mqtt.MosquittoBroker;
import io.farl.robot.mqtt.MqttTopics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code farl session} on the simulator, end to end: the operator pauses and resumes from the console, takes the arm
 * over and drives it from a device over a real mosquitto, hands it back, labels an episode and presses the e-stop;
 * the event log says each of these as the loop did it, learning went on with durable swaps, and a second session in
 * the same folder resumes with the policy version that acted last.
 */
class SessionMqttIT {
    private static final Path HOME = Path.of("target", "mqtt-it", "SessionMqttIT").toAbsolutePath();
    private static final String ROBOT = "cell1";
    private final HttpClient http = HttpClient.newHttpClient();
    private MosquittoBroker broker;

    @BeforeEach
    void start() throws Exception {
        broker = new MosquittoBroker(Files.createDirectories(HOME.resolve("broker")), false);
        broker.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    private static Path models() {
        Path models = HOME.resolve("models");
        if (!Files.isDirectory(models.resolve("task-policy"))) {
            StringWriter log = new StringWriter();
            assertEquals(0, FarlCli.execute(new PrintWriter(log, true), new PrintWriter(log, true), "pretrain",
                    "--task", "bounded-push", "--data", HOME.resolve("data").toString(), "--models", models.toString(),
                    "--seed", "0", "--budget-spec", "60,0.3,tiny,4,100,20,200,4"), log.toString());
        }
        return models;
    }

    private CompletableFuture<Integer> session(Path out, StringWriter log, String... extra) {
        List<String> args = new ArrayList<>(List.of("session", "--robot", "sim", "--models", models().toString(),
                "--task", "bounded-push", "--max-episode-steps", "30", "--ppo-batch", "64", "--teleop", "mqtt",
                "--broker", broker.uri(), "--robot-id", ROBOT, "--out", out.toString()));
        args.addAll(List.of(extra));
        return CompletableFuture.supplyAsync(() -> FarlCli.execute(new PrintWriter(log, true),
                new PrintWriter(log, true), args.toArray(String[]::new)));
    }

    @Test
    void shouldPauseTakeOverLabelStopAndResumeWithTheVersionThatActedLast() throws Exception {
        models();
        Path out = Files.createDirectories(HOME.resolve("session-" + System.nanoTime()));
        StringWriter log = new StringWriter();
        CompletableFuture<Integer> first = session(out, log, "--episodes", "100000", "--console", "127.0.0.1:0");
        Matcher m = awaitConsole(log);
        String url = m.group(1);
        String token = m.group(2);
        AtomicBoolean driving = new AtomicBoolean(true);
        MqttAsyncClient device = new MqttAsyncClient(broker.uri(), "it-device-" + System.nanoTime(), null);
        device.connect(new MqttConnectionOptions()).waitForCompletion(5000);
        Thread commands = new Thread(() -> stream(device, driving), "it-device");
        commands.start();
        try {
            awaitState(url, s -> s.path("steps").asLong() >= 30, 60, "the session never stepped");
            assertEquals(200, post(url, "pause", token, "").statusCode());
            awaitState(url, s -> "STOPPED".equals(s.path("mode").asText()), 10, "pause did not stop the arm");
            assertEquals(200, post(url, "resume", token, "").statusCode());
            awaitState(url, s -> !"STOPPED".equals(s.path("mode").asText()), 10, "resume did not restart");
            assertEquals(200, post(url, "takeover", token, "").statusCode());
            awaitState(url, s -> "HUMAN".equals(s.path("mode").asText()), 10, "the device never drove the arm");
            Thread.sleep(1500);
            assertEquals(200, post(url, "handback", token, "").statusCode());
            // the log records the hand-back with the first step the policies drive again
            awaitState(url, s -> !"HUMAN".equals(s.path("mode").asText()), 10, "hand-back did not take");
            assertEquals(200, post(url, "label", token, "label=failure").statusCode());
            awaitPolicy(out, 1, 120);
            assertEquals(200, post(url, "estop", null, "").statusCode());
            assertEquals(0, first.get(120, TimeUnit.SECONDS), log.toString());
        } finally {
            driving.set(false);
            commands.join(5000);
            device.disconnect().waitForCompletion(2000);
            device.close();
        }
        RunReport run = new ObjectMapper().readValue(out.resolve("run.json").toFile(), RunReport.class);
        System.out.println("farl session: " + run);
        assertEquals("estop", run.endedBy(), run.toString());
        List<SessionEvent.Kind> kinds = SessionEventLog.read(out.resolve(SessionEventLog.FILE)).stream()
                .map(SessionEvent::kind).filter(k -> k != SessionEvent.Kind.POLICY).toList();
        assertEquals(List.of(SessionEvent.Kind.START, SessionEvent.Kind.PAUSE, SessionEvent.Kind.RESUME,
                SessionEvent.Kind.TAKE_OVER, SessionEvent.Kind.HAND_BACK, SessionEvent.Kind.LABEL_FAILURE,
                SessionEvent.Kind.ESTOP, SessionEvent.Kind.END), kinds, "what the loop did, in order");
        long acted = lastPolicy(out);
        assertTrue(acted >= 1, "a fine-tuned version acted: " + acted);
        List<Episode> recorded = DatasetReader.readAll(out.resolve("run.farl"));

        assertTrue(recorded.stream().flatMap(e -> e.steps().stream()).filter(s -> s.mode() == Episode.Mode.HUMAN)
                .count() >= 5, "the device drove steps that were recorded");
        assertReport(out.resolve("report"));

        // a second session in the same folder resumes with the version that acted last
        StringWriter again = new StringWriter();
        int before = recorded.size();
        assertEquals(0, session(out, again, "--episodes", "2").get(180, TimeUnit.SECONDS), again.toString());
        RunReport second = new ObjectMapper().readValue(out.resolve("run.json").toFile(), RunReport.class);
        assertTrue(second.learning().resumedFrom() != null, second.toString());
        Episode firstAgain = DatasetReader.readAll(out.resolve("run.farl")).get(before);
        long resumedVersion = firstAgain.steps().stream().filter(s -> s.mode() == Episode.Mode.TASK)
                .mapToLong(Episode.Step::policyVersion).findFirst().orElse(-1);
        assertEquals(acted, resumedVersion, "the resumed session acts with the version that acted last");
    }

    @Test
    void shouldResumeAfterAKillWithThePolicyVersionThatWasActing() throws Exception {
        Path models = models();
        Path out = Files.createDirectories(HOME.resolve("killed-" + System.nanoTime()));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), FarlCli.class.getName(), "session",
                "--robot", "sim", "--models", models.toString(), "--task", "bounded-push", "--max-episode-steps", "30",
                "--ppo-batch", "32", "--episodes", "100000", "--out", out.toString()));
        Process child = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(out.resolve("child.log").toFile()).start();
        long acting;
        try {
            awaitPolicy(out, 2, 180);
            child.destroyForcibly();
            assertTrue(child.waitFor(10, TimeUnit.SECONDS));
            assertEquals(137, child.exitValue(), "killed by SIGKILL");
            acting = lastPolicy(out);
        } finally {
            child.destroyForcibly();
        }
        StringWriter log = new StringWriter();
        int before = DatasetReader.readAll(out.resolve("run.farl")).size();
        assertEquals(0, FarlCli.execute(new PrintWriter(log, true), new PrintWriter(log, true), "session", "--robot",
                "sim", "--models", models.toString(), "--task", "bounded-push", "--max-episode-steps", "30",
                "--ppo-batch", "100000", "--episodes", "1", "--out", out.toString()), log.toString());
        Episode resumed = DatasetReader.readAll(out.resolve("run.farl")).get(before);
        assertTrue(resumed.steps().stream().filter(st -> st.mode() == Episode.Mode.TASK)
                .allMatch(st -> st.policyVersion() == acting), "the version acting at the kill (" + acting
                + ") acts again, never a fresh or another one: " + resumed.steps().stream()
                .map(Episode.Step::policyVersion).distinct().toList());
        RunReport run = new ObjectMapper().readValue(out.resolve("run.json").toFile(), RunReport.class);
        assertTrue(run.learning().resumedFrom() != null, run.toString());
    }

    /** The report the session wrote when it ended: three plots and one self-contained page listing its events. */
    private static void assertReport(Path dir) throws Exception {
        for (String png : List.of("episodes.png", "interventions.png", "ch-trace.png")) {
            java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(dir.resolve(png).toFile());
            assertTrue(image != null && image.getWidth() >= 400 && image.getHeight() >= 200, png + " is a plot");
        }
        String html = java.nio.file.Files.readString(dir.resolve("report.html"));
        for (String kind : List.of("PAUSE", "RESUME", "TAKE_OVER", "HAND_BACK", "LABEL_FAILURE", "ESTOP")) {
            assertTrue(html.contains(kind), "the page lists the operator event " + kind);
        }
        assertEquals(3, html.split("src=\"data:image/png;base64,", -1).length - 1, "three plots embedded");
        assertTrue(!html.contains("<script") && !html.contains("src=\"http") && !html.contains("href=\"http"),
                "self-contained: no script, no external resource");
    }

    private static long lastPolicy(Path out) throws Exception {
        long v = -1;
        for (SessionEvent e : SessionEventLog.read(out.resolve(SessionEventLog.FILE))) {
            if (e.kind() == SessionEvent.Kind.POLICY) {
                v = Long.parseLong(e.detail());
            }
        }
        return v;
    }

    private static void awaitPolicy(Path out, long version, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (lastPolicy(out) < version && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertTrue(lastPolicy(out) >= version, "no policy version " + version + " acted within " + seconds + " s");
    }

    private static void stream(MqttAsyncClient device, AtomicBoolean driving) {
        MqttTopics topics = new MqttTopics(ROBOT);
        long seq = 0;
        while (driving.get()) {
            try {
                device.publish(topics.teleopCommand(), TeleopCommand.newBuilder().setSchemaVersion(1)
                        .setSequence(++seq).addAllAction(List.of(0.3, 0.0, 0.0, -1.0)).build().toByteArray(), 0,
                        false);
                Thread.sleep(100);
            } catch (Exception e) {
                return;
            }
        }
    }

    private static Matcher awaitConsole(StringWriter log) throws Exception {
        Pattern p = Pattern.compile("console: (http://\\S+) \\(token (\\w+)\\)");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            Matcher m = p.matcher(log.toString());
            if (m.find()) {
                return m;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no console line: " + log);
    }

    private void awaitState(String url, java.util.function.Predicate<JsonNode> ok, int seconds, String what)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        JsonNode s = null;
        while (System.nanoTime() < deadline) {
            s = new ObjectMapper().readTree(http.send(HttpRequest.newBuilder(URI.create(url + "api/state")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            if (ok.test(s)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(what + ": " + s);
    }

    private HttpResponse<String> post(String url, String action, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + "api/" + action))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("X-Farl-Token", token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
