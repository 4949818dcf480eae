package io.farl.launch.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.farl.controller.console.ConsoleControls;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The operator console over HTTP, on the JDK's {@link HttpServer} with its own small pool of daemon threads.
 *
 * <pre>
 *   GET  /              the page (one self-contained HTML file, no external resources)
 *   GET  /api/state     {@code ConsoleState} as JSON (the page polls it at 10 Hz)
 *   GET  /metrics       Prometheus text format ({@link ConsoleMetrics})
 *   POST /api/estop     engage the software e-stop: no token, always allowed
 *   POST /api/pause     operator stop (token)            POST /api/resume   reset, then start (token)
 *   POST /api/takeover  hand the arm to the human channel (token, where the command offers it)
 *   POST /api/handback  back to the gated policies (token, where offered)
 *   POST /api/label     body {@code label=NAME}: the command's labeler (token, where offered)
 * </pre>
 *
 * A change other than the e-stop needs the token printed at start, in the header {@code X-Farl-Token} (or
 * {@code Authorization: Bearer TOKEN}): none gives 401, a wrong one 403, and nothing changes. A control the command
 * does not offer answers 409. Handlers only read snapshots and set the loop's lock-free operator inputs: the
 * control thread never waits for the console.
 */
public final class ConsoleServer implements AutoCloseable {
    /** Header carrying the token. */
    public static final String TOKEN_HEADER = "X-Farl-Token";
    private static final int THREADS = 4;
    private static final int MAX_BODY = 4096;
    private static final long RESUME_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(2);

    /** Labels the current episode (or whatever the command labels); returns what was done. */
    @FunctionalInterface
    public interface Labeler {
        /** @throws IllegalArgumentException for a label the command does not know (answered 400) */
        String label(String label);
    }

    /**
     * What the command offers besides e-stop, pause and resume.
     *
     * @param takeOverUnavailable null when take over / hand back are offered, else why not (answered 409)
     * @param labeler             null when labels are not offered (answered 409)
     */
    public record Offer(String takeOverUnavailable, Labeler labeler) {
    }

    private final HttpServer server;
    private final ExecutorService pool;
    private final ConsoleSession session;
    private final PrometheusMeterRegistry registry;
    private final Offer offer;
    private final String token;
    private final ObjectMapper json = new ObjectMapper();
    private final byte[] page;

    private ConsoleServer(HttpServer server, ExecutorService pool, ConsoleSession session,
            PrometheusMeterRegistry registry, Offer offer, String token) throws IOException {
        this.server = server;
        this.pool = pool;
        this.session = session;
        this.registry = registry;
        this.offer = offer;
        this.token = token;
        try (InputStream in = ConsoleServer.class.getResourceAsStream("console.html")) {
            if (in == null) {
                throw new IOException("console.html missing from the class path");
            }
            this.page = in.readAllBytes();
        }
    }

    /**
     * Bind and start serving.
     *
     * @param address where to listen; port 0 picks a free one ({@link #port()})
     * @param token   the token for changes; see {@link #newToken()}
     * @throws IOException when the address cannot be bound
     */
    public static ConsoleServer start(InetSocketAddress address, ConsoleSession session,
            PrometheusMeterRegistry registry, Offer offer, String token) throws IOException {
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "farl-console-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        HttpServer http;
        try {
            http = HttpServer.create(address, 16);
        } catch (IOException e) {
            pool.shutdownNow();
            throw e;
        }
        ConsoleServer s = new ConsoleServer(http, pool, session, registry, offer, token);
        http.setExecutor(pool);
        http.createContext("/", s::handle);
        http.start();
        return s;
    }

    /** 32 hex digits from {@link SecureRandom}. */
    public static String newToken() {
        byte[] b = new byte[16];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The page's address, e.g. {@code http://127.0.0.1:8080/}. */
    public String url() {
        InetSocketAddress a = server.getAddress();
        String host = a.getAddress().isAnyLocalAddress() ? "localhost" : a.getHostString();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort() + "/";
    }

    /** Stop serving (requests in flight get up to 1 s) and end the threads. */
    @Override
    public void close() {
        server.stop(1);
        pool.shutdownNow();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod();
            if (path.equals("/") || path.equals("/index.html")) {
                get(ex, method, "text/html; charset=utf-8", () -> page);
            } else if (path.equals("/api/state")) {
                get(ex, method, "application/json", () -> bytes(session.state()));
            } else if (path.equals("/metrics")) {
                get(ex, method, "text/plain; version=0.0.4; charset=utf-8",
                        () -> registry.scrape().getBytes(StandardCharsets.UTF_8));
            } else if (path.startsWith("/api/")) {
                control(ex, method, path.substring("/api/".length()));
            } else {
                send(ex, 404, "not found: " + path);
            }
        } catch (RuntimeException e) {
            send(ex, 500, "console error: " + e);
        }
    }

    private interface Body {
        byte[] get();
    }

    private static void get(HttpExchange ex, String method, String type, Body body) throws IOException {
        if (!method.equals("GET") && !method.equals("HEAD")) {
            ex.getResponseHeaders().set("Allow", "GET");
            send(ex, 405, "use GET");
            return;
        }
        byte[] b = body.get();
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(200, method.equals("HEAD") ? -1 : b.length);
        if (!method.equals("HEAD")) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(b);
            }
        }
    }

    private void control(HttpExchange ex, String method, String action) throws IOException {
        if (!method.equals("POST")) {
            ex.getResponseHeaders().set("Allow", "POST");
            send(ex, 405, "use POST");
            return;
        }
        ConsoleControls c = session.controls();
        if (action.equals("estop")) {
            c.estop();
            send(ex, 200, "e-stop engaged");
            return;
        }
        if (!isControl(action)) {
            send(ex, 404, "no control " + action);
            return;
        }
        int refused = checkToken(ex);
        if (refused != 0) {
            send(ex, refused, refused == 401 ? "token required (header " + TOKEN_HEADER + ")" : "wrong token");
            return;
        }
        authorised(ex, action, c);
    }

    private static boolean isControl(String action) {
        return switch (action) {
            case "pause", "resume", "takeover", "handback", "label" -> true;
            default -> false;
        };
    }

    private void authorised(HttpExchange ex, String action, ConsoleControls c) throws IOException {
        switch (action) {
            case "pause" -> send(ex, 200, "pause: " + c.pause());
            case "resume" -> {
                try {
                    ConsoleControls.Outcome o = c.resume(RESUME_TIMEOUT_NANOS);
                    send(ex, o == ConsoleControls.Outcome.REFUSED ? 409 : 200, "resume: " + o);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    send(ex, 503, "resume interrupted");
                }
            }
            case "takeover", "handback" -> {
                if (offer.takeOverUnavailable() != null) {
                    send(ex, 409, "not available in this command: " + offer.takeOverUnavailable());
                } else if (action.equals("takeover")) {
                    c.takeOver();
                    send(ex, 200, "human control");
                } else {
                    c.handBack();
                    send(ex, 200, "handed back");
                }
            }
            default -> label(ex);
        }
    }

    private void label(HttpExchange ex) throws IOException {
        if (offer.labeler() == null) {
            send(ex, 409, "not available in this command: nothing to label");
            return;
        }
        String label = formValue(new String(ex.getRequestBody().readNBytes(MAX_BODY), StandardCharsets.UTF_8),
                "label");
        if (label == null || label.isBlank()) {
            send(ex, 400, "give label=NAME");
            return;
        }
        try {
            send(ex, 200, offer.labeler().label(label.trim()));
        } catch (IllegalArgumentException e) {
            send(ex, 400, e.getMessage());
        }
    }

    /** 0 when the request carries the token, 401 when it carries none, 403 when it carries another. */
    private int checkToken(HttpExchange ex) {
        String given = ex.getRequestHeaders().getFirst(TOKEN_HEADER);
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (given == null && auth != null && auth.startsWith("Bearer ")) {
            given = auth.substring("Bearer ".length()).trim();
        }
        if (given == null || given.isEmpty()) {
            return 401;
        }
        boolean ok = MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8));
        return ok ? 0 : 403;
    }

    static String formValue(String body, String key) {
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8).equals(key)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private byte[] bytes(Object value) {
        try {
            return json.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void send(HttpExchange ex, int status, String text) throws IOException {
        byte[] b = (text + "\n").getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }
}
