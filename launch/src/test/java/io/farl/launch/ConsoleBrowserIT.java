package io.farl.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.farl.launch.console.ConsoleServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * {@code farl run --robot sim --console 127.0.0.1:0} with tiny pretrained models, watched through Debian's headless
 * chromium driven by Selenium through Debian's chromedriver: the page loads, its C_H plot moves, a pause without the
 * token is refused while the arm keeps moving, and the page's E-STOP button latches STOPPED within one control
 * period (100 ms in the simulator) and ends the run with {@code endedBy: estop}. Saves screenshots under
 * {@code target/console-it/}.
 */
class ConsoleBrowserIT {
    private static final Path HOME = Path.of("target", "console-it").toAbsolutePath();
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final long PERIOD_NANOS = 100_000_000L;
    private static final Pattern CONSOLE = Pattern.compile("console: (http://\\S+/) \\(token ([0-9a-f]+)\\)");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ObjectMapper json = new ObjectMapper();
    private WebDriver browser;
    private CompletableFuture<Integer> run;

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
    }

    private static WebDriver chromium() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // headless, and no sandbox: the tests run as root
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1400,1000");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    private JsonNode state(String url) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "api/state"))
                .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        return json.readTree(r.body());
    }

    private int post(String url, String action, String token) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + "api/" + action))
                .POST(HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            b.header(ConsoleServer.TOKEN_HEADER, token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private long pageLong(String id, String attribute) {
        String v = attribute == null ? browser.findElement(By.id(id)).getText()
                : browser.findElement(By.id(id)).getDomAttribute(attribute);
        return v == null || v.isBlank() ? -1 : Long.parseLong(v.trim());
    }

    private static Matcher awaitConsoleLine(StringWriter log, CompletableFuture<Integer> run) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline && !run.isDone()) {
            Matcher m = CONSOLE.matcher(log.toString());
            if (m.find()) {
                return m;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("farl run printed no console line: " + log);
    }

    private void awaitSteps(String id, String attribute, long above) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (pageLong(id, attribute) <= above && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    /** The page once it shows STOPPED, when it does before the run closes the server (not asserted). */
    private void saveStoppedScreenshot() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (System.nanoTime() < deadline) {
            if ("STOPPED".equals(browser.findElement(By.id("mode")).getText())) {
                Files.copy(((ChromeDriver) browser).getScreenshotAs(OutputType.FILE).toPath(),
                        HOME.resolve("console-estop.png"), StandardCopyOption.REPLACE_EXISTING);
                return;
            }
            Thread.sleep(20);
        }
    }

    @Test
    void shouldShowTheLiveRunRefuseAnUnauthenticatedPauseAndStopOnTheEstopButton() throws Exception {
        assertTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "Debian chromium and chromium-driver are not installed: run scripts/install-system-deps.sh "
                        + "(scripts/test does)");
        Path models = RunMqttIT.models(HOME);
        Path out = HOME.resolve("run");
        Files.deleteIfExists(out.resolve("run.json"));
        Files.deleteIfExists(out.resolve("run.farl"));
        StringWriter log = new StringWriter();
        PrintWriter w = new PrintWriter(log, true);
        run = CompletableFuture.supplyAsync(() -> FarlCli.execute(w, w, "run", "--robot", "sim", "--models",
                models.toString(), "--task", "bounded-push", "--episodes", "1000", "--max-episode-steps", "60",
                "--out", out.toString(), "--console", "127.0.0.1:0"));
        Matcher console = awaitConsoleLine(log, run);
        String url = console.group(1);
        String token = console.group(2);

        browser = chromium();
        browser.get(url);
        assertEquals("farl operator console", browser.getTitle());
        // the plot moves: the newest plotted step advances
        awaitSteps("plot", "data-last-step", 0);
        long plotted = pageLong("plot", "data-last-step");
        assertTrue(plotted > 0, "the plot shows no step; log: " + log);
        awaitSteps("plot", "data-last-step", plotted + 5);
        assertTrue(pageLong("plot", "data-last-step") > plotted + 5, "the plot did not move");

        // a pause without the token, or with a wrong one, changes nothing: the arm keeps moving
        assertEquals(401, post(url, "pause", null));
        assertEquals(403, post(url, "pause", "0".repeat(token.length())));
        long before = state(url).get("step").asLong();
        Thread.sleep(5 * PERIOD_NANOS / 1_000_000);
        JsonNode moving = state(url);
        assertTrue(moving.get("step").asLong() >= before + 3, "the loop stopped stepping after a refused pause");
        assertNotEquals("STOPPED", moving.get("mode").asText());
        assertFalse(moving.get("operator").get("paused").asBoolean());
        awaitSteps("steps", null, moving.get("step").asLong());
        Files.createDirectories(HOME);
        Path shot = HOME.resolve("console.png");
        Files.copy(((ChromeDriver) browser).getScreenshotAs(OutputType.FILE).toPath(), shot,
                StandardCopyOption.REPLACE_EXISTING);

        // E-STOP: click, then watch the server's state until a step wrote STOPPED
        long clicked = System.nanoTime();
        browser.findElement(By.id("estop")).click();
        long clickReturned = System.nanoTime() - clicked;
        JsonNode stopped = null;
        int polls = 0;
        while (System.nanoTime() - clicked < TimeUnit.SECONDS.toNanos(5)) {
            JsonNode s = state(url);
            polls++;
            if ("STOPPED".equals(s.get("mode").asText())) {
                stopped = s;
                break;
            }
            Thread.sleep(2);
        }
        long observed = System.nanoTime() - clicked;
        assertNotNull(stopped, "the e-stop did not stop the loop within 5 s");
        long serverLatency = stopped.get("operator").get("estopLatencyNanos").asLong();
        long estopSteps = stopped.get("operator").get("estopSteps").asLong();
        String ack = browser.findElement(By.id("reply")).getText();
        System.out.printf("ConsoleBrowserIT: e-stop click -> STOPPED seen by a poller %.1f ms (click() returned after "
                + "%.1f ms, %d polls); request -> STOPPED step written %.1f ms, %d step(s) (control period 100 ms); page: %s%n",
                observed / 1e6, clickReturned / 1e6, polls, serverLatency / 1e6, estopSteps, ack);
        Files.writeString(HOME.resolve("estop-latency.txt"), String.format("click_to_stopped_seen_ms=%.1f%n"
                + "request_to_stopped_written_ms=%.1f%nsteps=%d%npage=%s%n", observed / 1e6, serverLatency / 1e6,
                estopSteps, ack));
        saveStoppedScreenshot();
        assertEquals("ESTOP", stopped.get("cause").asText());
        assertEquals("STOPPED", stopped.get("traces").get(0).get("mode").asText());
        // the first step that began after the request wrote STOPPED (a step already running then had read its
        // inputs and counts as the first): so within one period of the request, plus that step's own computation
        assertTrue(estopSteps == 1 || estopSteps == 2, "STOPPED written " + estopSteps + " steps after the request");
        assertTrue(serverLatency >= 0 && serverLatency <= PERIOD_NANOS + PERIOD_NANOS / 2,
                "STOPPED written " + serverLatency / 1e6 + " ms after the e-stop request");

        assertEquals(0, run.get(120, TimeUnit.SECONDS), log.toString());
        JsonNode report = json.readTree(out.resolve("run.json").toFile());
        assertEquals("estop", report.get("endedBy").asText(), report.toString());
        assertTrue(report.get("estopEngaged").asBoolean());
        assertEquals("ESTOP", report.get("supervisorCause").asText());
        assertTrue(Files.size(shot) > 10_000, "screenshot " + shot + " is too small");
    }
}
