package io.farl.robot.mqtt;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;

/**
 * One MQTT v5 connection with its own reconnect thread; shared by both ends of the link.
 *
 * <p><b>Threads</b>: connecting, subscribing and back-off (a Resilience4j {@link Retry}, which sleeps) run on the
 * link's single I/O thread {@code farl-mqtt-io-…}; messages arrive on Paho's callback thread and go straight to the
 * {@link Handler}, which must decode, store and return. Nothing here runs on, or blocks, a control thread.
 *
 * <p><b>Epochs</b>: every transition up or down increments {@link #epoch()}. {@link #publish} takes the epoch its
 * payload was produced in and sends only while the link is still up in that epoch, under the same lock that moves
 * the epoch, so nothing produced before an outage is sent after it. Every connection attempt builds a fresh Paho
 * client (clean start, in-memory persistence), so nothing buffered in an old client survives either.
 */
final class MqttLink implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MqttLink.class);

    /** Receives link events. {@code onMessage} runs on Paho's thread, the others on the I/O thread. */
    interface Handler {
        void onMessage(String topic, byte[] payload);

        /** A message with its MQTT v5 properties (response topic, correlation data); by default they are ignored. */
        default void onMessage(String topic, byte[] payload, MqttProperties properties) {
            onMessage(topic, payload);
        }

        void onUp(long epoch);

        void onDown(long epoch, String cause);
    }

    /** A topic to subscribe at every connection, with its QoS. */
    record Subscription(String topic, int qos) {
    }

    /** A last-will message (QoS 1, retained). */
    record Will(String topic, byte[] payload) {
    }

    private static final class LinkFailure extends RuntimeException {
        LinkFailure(String message) {
            super(message);
        }
    }

    private final MqttLinkConfig config;
    private final String clientId;
    private final List<Subscription> subscriptions;
    private final Will will;
    private final Handler handler;
    private final ExecutorService io;
    private final Retry retry;
    private final Object lock = new Object();
    private final AtomicLong connects = new AtomicLong();
    private final AtomicLong failedAttempts = new AtomicLong();
    private MqttAsyncClient client;
    private volatile boolean up;
    private volatile long epoch;
    private volatile boolean closed;
    private volatile String lastError = "";

    MqttLink(MqttLinkConfig config, String clientId, List<Subscription> subscriptions, Will will, Handler handler) {
        this.config = config;
        this.clientId = clientId;
        this.subscriptions = List.copyOf(subscriptions);
        this.will = will;
        this.handler = handler;
        this.io = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "farl-mqtt-io-" + clientId);
            t.setDaemon(true);
            return t;
        });
        this.retry = Retry.of("mqtt-connect-" + clientId, RetryConfig.custom()
                .maxAttempts(Integer.MAX_VALUE)
                .intervalFunction(IntervalFunction.ofExponentialBackoff(
                        Duration.ofNanos(config.reconnectInitialNanos()), 2.0,
                        Duration.ofNanos(config.reconnectMaxNanos())))
                .retryExceptions(LinkFailure.class)
                .build());
    }

    /** Start connecting on the I/O thread; returns at once. */
    void start() {
        io.execute(this::connectUntilUp);
    }

    boolean up() {
        return up;
    }

    long epoch() {
        return epoch;
    }

    /** Connections made so far (the first one included). */
    long connects() {
        return connects.get();
    }

    long failedAttempts() {
        return failedAttempts.get();
    }

    /** Why the latest attempt or connection failed; empty when none did. */
    String lastError() {
        return lastError;
    }

    /**
     * Publish if the link is up in {@code producedInEpoch}; never waits for the network.
     *
     * @return the delivery token, or null when nothing was sent (link down, epoch moved on, or Paho refused)
     */
    IMqttToken publish(String topic, byte[] payload, int qos, boolean retained, long producedInEpoch) {
        return publish(topic, payload, qos, retained, producedInEpoch, null);
    }

    /** As {@link #publish(String, byte[], int, boolean, long)}, with MQTT v5 properties (null for none). */
    IMqttToken publish(String topic, byte[] payload, int qos, boolean retained, long producedInEpoch,
            MqttProperties properties) {
        synchronized (lock) {
            if (!up || epoch != producedInEpoch || client == null) {
                return null;
            }
            try {
                MqttMessage m = new MqttMessage(payload, qos, retained, properties);
                return client.publish(topic, m);
            } catch (MqttException | RuntimeException e) {
                lastError = "publish to " + topic + " failed: " + e;
                return null;
            }
        }
    }

    private void connectUntilUp() {
        try {
            retry.executeRunnable(this::attempt);
        } catch (CancellationException e) {
            LOG.debug("{}: connecting stopped: closed", clientId);
        } catch (RuntimeException e) {
            if (!closed) {
                LOG.warn("{}: connecting stopped: {}", clientId, e.toString());
            }
        }
    }

    private void attempt() {
        if (closed || Thread.currentThread().isInterrupted()) {
            throw new CancellationException("closed");
        }
        MqttAsyncClient c = null;
        try {
            c = new MqttAsyncClient(config.serverUri(), clientId, new MemoryPersistence());
            c.setCallback(new Callback(c));
            long ms = config.connectTimeoutNanos() / 1_000_000L;
            c.connect(options()).waitForCompletion(ms);
            subscribe(c, ms);
        } catch (MqttException | RuntimeException e) {
            failedAttempts.incrementAndGet();
            lastError = "connect to " + config.serverUri() + " as " + clientId + " failed: " + e;
            LOG.debug("{}", lastError);
            closeQuietly(c);
            throw new LinkFailure(lastError);
        }
        long now;
        synchronized (lock) {
            if (closed) {
                closeQuietly(c);
                throw new CancellationException("closed");
            }
            client = c;
            up = true;
            now = ++epoch;
        }
        connects.incrementAndGet();
        LOG.info("{}: connected to {} (epoch {})", clientId, config.serverUri(), now);
        handler.onUp(now);
    }

    private void subscribe(MqttAsyncClient c, long timeoutMillis) throws MqttException {
        if (subscriptions.isEmpty()) {
            return;
        }
        String[] topics = subscriptions.stream().map(Subscription::topic).toArray(String[]::new);
        int[] qos = subscriptions.stream().mapToInt(Subscription::qos).toArray();
        IMqttToken t = c.subscribe(topics, qos);
        t.waitForCompletion(timeoutMillis);
        int[] codes = t.getReasonCodes();
        for (int i = 0; codes != null && i < codes.length && i < topics.length; i++) {
            if (codes[i] >= 0x80) {
                throw new LinkFailure("subscription to " + topics[i] + " refused by the broker, reason code 0x"
                        + Integer.toHexString(codes[i]));
            }
        }
    }

    private MqttConnectionOptions options() {
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        o.setAutomaticReconnect(false);
        o.setKeepAliveInterval(config.keepAliveSeconds());
        o.setConnectionTimeout((int) Math.max(1, config.connectTimeoutNanos() / 1_000_000_000L));
        o.setSocketFactory(config.tls() != null ? NoDelaySocketFactory.tls(config.tls())
                : NoDelaySocketFactory.plain());
        if (config.username() != null) {
            o.setUserName(config.username());
        }
        if (config.password() != null) {
            o.setPassword(config.password().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        if (will != null) {
            o.setWill(will.topic(), new MqttMessage(will.payload(), 1, true, new MqttProperties()));
        }
        return o;
    }

    private void down(MqttAsyncClient c, String cause) {
        long now;
        synchronized (lock) {
            if (client != c || closed) {
                return;
            }
            client = null;
            up = false;
            now = ++epoch;
        }
        lastError = "connection lost: " + cause;
        LOG.warn("{}: connection lost ({}), reconnecting", clientId, cause);
        handler.onDown(now, cause);
        io.execute(() -> {
            closeQuietly(c);
            connectUntilUp();
        });
    }

    @Override
    public void close() {
        MqttAsyncClient c;
        synchronized (lock) {
            closed = true;
            c = client;
            client = null;
            up = false;
            epoch++;
        }
        io.shutdownNow();
        if (c != null) {
            try {
                c.disconnect(0).waitForCompletion(1000);
            } catch (MqttException | RuntimeException e) {
                LOG.debug("{}: disconnect: {}", clientId, e.toString());
            }
            closeQuietly(c);
        }
    }

    private static void closeQuietly(MqttAsyncClient c) {
        if (c == null) {
            return;
        }
        try {
            if (c.isConnected()) {
                c.disconnectForcibly(0, 100, false);
            }
        } catch (MqttException | RuntimeException e) {
            LOG.trace("disconnect: {}", e.toString());
        }
        try {
            c.close(true);
        } catch (MqttException | RuntimeException e) {
            LOG.trace("close: {}", e.toString());
        }
    }

    /** Paho's callbacks for one client; events of an older client are ignored. */
    private final class Callback implements MqttCallback {
        private final MqttAsyncClient owner;

        Callback(MqttAsyncClient owner) {
            this.owner = owner;
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            down(owner, response.getReasonString() != null ? response.getReasonString()
                    : String.valueOf(response.getException()));
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
            lastError = "MQTT error: " + exception;
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            handler.onMessage(topic, message.getPayload(), message.getProperties());
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
        }

        @Override
        public void connectComplete(boolean reconnect, String serverUri) {
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
        }
    }
}
