package io.farl.robot.mqtt;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Debian mosquitto for one test class: its own config, password, ACL and certificate files in a temp dir, a
 * free loopback port (and a TLS port when asked), started and stopped by PID. Fails (never skips) when mosquitto is
 * not installed: run {@code scripts/install-system-deps.sh} as root.
 */
public final class MosquittoBroker implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/sbin/mosquitto");
    static final Path PASSWD_TOOL = Path.of("/usr/bin/mosquitto_passwd");

    /** ACL letting user {@code controller} use every robot's topics and each robot user only its own. */
    static final String ACL = """
            user controller
            topic readwrite farl/v1/#

            pattern write farl/v1/%u/observation
            pattern write farl/v1/%u/status
            pattern read farl/v1/%u/command
            pattern read farl/v1/%u/estop/controller
            pattern write farl/v1/%u/estop/robot
            pattern read farl/v1/%u/episode/controller
            pattern write farl/v1/%u/episode/robot
            """;

    private final Path dir;
    private final int port;
    private final int tlsPort;
    private final Map<String, String> users = new LinkedHashMap<>();
    private TestCertificates certificates;
    private Process process;

    /** @param secured with users, ACL and a TLS listener; else anonymous on plain TCP only */
    public MosquittoBroker(Path dir, boolean secured) throws IOException {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException(BINARY + " missing: run scripts/install-system-deps.sh as root");
        }
        this.dir = dir;
        this.port = freePort();
        this.tlsPort = secured ? freePort() : -1;
        if (secured) {
            certificates = TestCertificates.create(dir);
        }
    }

    public MosquittoBroker user(String name, String password) {
        users.put(name, password);
        return this;
    }

    public int port() {
        return port;
    }

    public int tlsPort() {
        return tlsPort;
    }

    public String uri() {
        return "tcp://127.0.0.1:" + port;
    }

    public String tlsUri() {
        return "ssl://127.0.0.1:" + tlsPort;
    }

    TestCertificates certificates() {
        return certificates;
    }

    public long pid() {
        return process.pid();
    }

    public void start() throws IOException, InterruptedException {
        Path conf = writeConfig();
        process = new ProcessBuilder(BINARY.toString(), "-c", conf.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("mosquitto.log")
                        .toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!(accepts(port) && (tlsPort < 0 || accepts(tlsPort)))) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("mosquitto did not start: " + log());
            }
            Thread.sleep(20);
        }
    }

    /** SIGKILL, as a crash. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
    }

    public String log() throws IOException {
        Path log = dir.resolve("mosquitto.log");
        return Files.exists(log) ? Files.readString(log) : "(no log)";
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    private Path writeConfig() throws IOException, InterruptedException {
        List<String> c = new ArrayList<>(List.of("per_listener_settings false", "persistence false",
                "set_tcp_nodelay true", "log_type error", "log_type warning", "log_type notice"));
        if (isRoot()) {
            c.add("user root");
        }
        if (users.isEmpty()) {
            c.add("allow_anonymous true");
        } else {
            c.add("allow_anonymous false");
            c.add("password_file " + writePasswords());
            Path acl = dir.resolve("acl");
            Files.writeString(acl, ACL);
            c.add("acl_file " + acl);
        }
        c.add("listener " + port + " 127.0.0.1");
        if (tlsPort > 0) {
            c.add("listener " + tlsPort + " 127.0.0.1");
            c.add("cafile " + certificates.caPem());
            c.add("certfile " + certificates.serverPem());
            c.add("keyfile " + certificates.serverKey());
        }
        Path conf = dir.resolve("mosquitto.conf");
        Files.write(conf, c);
        return conf;
    }

    private Path writePasswords() throws IOException, InterruptedException {
        Path file = dir.resolve("passwd");
        Files.writeString(file, "");
        for (Map.Entry<String, String> u : users.entrySet()) {
            Process p = new ProcessBuilder(PASSWD_TOOL.toString(), "-b", file.toString(), u.getKey(), u.getValue())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                throw new IllegalStateException("mosquitto_passwd failed: " + out);
            }
        }
        return file;
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }
}
