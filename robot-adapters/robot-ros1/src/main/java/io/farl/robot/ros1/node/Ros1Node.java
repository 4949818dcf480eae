package io.farl.robot.ros1.node;

import io.farl.robot.ros1.msg.MessageCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A ROS 1 node: slave XML-RPC server, TCPROS server, publishers and subscribers, and a watchdog thread that keeps
 * the master's registrations. The watchdog calls the master's getPid every check period; when the master was
 * unreachable or its pid changed (a restart), it registers every publisher and subscriber again and reconnects
 * subscribers to the publishers the master names. Registrations that fail at {@link #advertise}/{@link #subscribe}
 * time are retried the same way, so a node can start before its master.
 *
 * <p>Lifecycle: constructed → {@link #start} → advertise/subscribe → {@link #close} (unregisters, best effort).
 * Threads: advertise/subscribe/close from one owner thread; publish from any one thread per publisher.
 */
public final class Ros1Node implements AutoCloseable, SlaveServer.Handler {
    private static final Logger LOG = LoggerFactory.getLogger(Ros1Node.class);

    private final Ros1NodeConfig config;
    private final MasterClient master;
    private final Map<String, Ros1Publisher<?>> publishers = new ConcurrentHashMap<>();
    private final Map<String, Ros1Subscriber<?>> subscribers = new ConcurrentHashMap<>();
    private SlaveServer slave;
    private TcprosServer tcpros;
    private Thread watchdog;
    private volatile boolean closed;
    private volatile boolean shutdownRequested;
    private volatile boolean needsRegistration;
    private volatile int masterPid = -1;
    private volatile long reRegistrations;

    public Ros1Node(Ros1NodeConfig config) {
        this.config = config;
        this.master = new MasterClient(config.masterUri(), config.name(), config.callTimeoutMillis());
    }

    /** Opens the slave and TCPROS servers and starts the master watchdog. */
    public synchronized Ros1Node start() {
        try {
            slave = new SlaveServer(config.host(), this);
            tcpros = new TcprosServer(config.host(), publishers::get);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open node servers on " + config.host(), e);
        }
        watchdog = new Thread(this::watch, "ros1-master-watchdog " + config.name());
        watchdog.setDaemon(true);
        watchdog.start();
        return this;
    }

    public String name() {
        return config.name();
    }

    public String slaveUri() {
        return slave.uri();
    }

    public MasterClient master() {
        return master;
    }

    /** Times all registrations were sent again after a master restart or outage. */
    public long reRegistrations() {
        return reRegistrations;
    }

    /** True after the master asked this node to shut down (another node took its name). */
    public boolean shutdownRequested() {
        return shutdownRequested;
    }

    public synchronized <T> Ros1Publisher<T> advertise(String topic, MessageCodec<T> codec, boolean latched) {
        Ros1Publisher<T> pub = new Ros1Publisher<>(config.name(), topic, codec, latched);
        if (publishers.putIfAbsent(topic, pub) != null) {
            throw new IllegalStateException(topic + " is already advertised by " + config.name());
        }
        try {
            master.registerPublisher(topic, codec.type(), slave.uri());
        } catch (Ros1Exception e) {
            LOG.warn("registering publisher {} failed, the watchdog retries: {}", topic, e.getMessage());
            needsRegistration = true;
        }
        return pub;
    }

    public synchronized <T> Ros1Subscriber<T> subscribe(String topic, MessageCodec<T> codec, Consumer<T> listener) {
        Ros1Subscriber<T> sub = new Ros1Subscriber<>(config.name(), topic, codec, listener,
                config.callTimeoutMillis());
        if (subscribers.putIfAbsent(topic, sub) != null) {
            throw new IllegalStateException(topic + " is already subscribed by " + config.name());
        }
        try {
            sub.updatePublishers(master.registerSubscriber(topic, codec.type(), slave.uri()));
        } catch (Ros1Exception e) {
            LOG.warn("registering subscriber {} failed, the watchdog retries: {}", topic, e.getMessage());
            needsRegistration = true;
        }
        return sub;
    }

    private void watch() {
        while (!closed) {
            try {
                int pid = master.getPid();
                if (pid != masterPid || needsRegistration) {
                    if (masterPid != -1) {
                        LOG.info("master {} is back (pid {} -> {}); registering again", master.uri(), masterPid, pid);
                    }
                    registerAll();
                    masterPid = pid;
                }
            } catch (Ros1Exception e) {
                if (!needsRegistration) {
                    LOG.warn("master {} unreachable: {}", master.uri(), e.getMessage());
                }
                needsRegistration = true;
            }
            try {
                Thread.sleep(config.masterCheckPeriodMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private synchronized void registerAll() {
        if (closed) {
            return;
        }
        for (Ros1Publisher<?> p : publishers.values()) {
            master.registerPublisher(p.topic(), p.codec().type(), slave.uri());
        }
        for (Ros1Subscriber<?> s : subscribers.values()) {
            s.updatePublishers(master.registerSubscriber(s.topic(), s.codec().type(), slave.uri()));
        }
        needsRegistration = false;
        reRegistrations++;
    }

    @Override
    public Object[] requestTopic(String callerId, String topic, Object[] protocols) {
        if (!publishers.containsKey(topic)) {
            return null;
        }
        for (Object p : protocols) {
            if (p instanceof Object[] proto && proto.length > 0 && "TCPROS".equals(proto[0])) {
                return new Object[] {"TCPROS", config.host(), tcpros.port()};
            }
        }
        return null;
    }

    @Override
    public void publisherUpdate(String topic, List<String> publisherUris) {
        Ros1Subscriber<?> sub = subscribers.get(topic);
        if (sub != null) {
            sub.updatePublishers(publisherUris);
        }
    }

    @Override
    public Object[] busInfo() {
        int[] id = {1};
        List<Object> out = new ArrayList<>();
        publishers.values().forEach(p -> out.addAll(List.of(p.busInfo(id))));
        subscribers.values().forEach(s -> out.addAll(List.of(s.busInfo(id))));
        return out.toArray();
    }

    @Override
    public String masterUri() {
        return config.masterUri();
    }

    @Override
    public void shutdownRequested(String callerId, String reason) {
        LOG.warn("{} asked {} to shut down: {}", callerId, config.name(), reason);
        shutdownRequested = true;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (watchdog != null) {
            watchdog.interrupt();
        }
        for (Ros1Publisher<?> p : publishers.values()) {
            unregister(() -> master.unregisterPublisher(p.topic(), slave.uri()));
            p.closeLinks();
        }
        for (Ros1Subscriber<?> s : subscribers.values()) {
            unregister(() -> master.unregisterSubscriber(s.topic(), slave.uri()));
            s.closeLinks();
        }
        if (tcpros != null) {
            tcpros.close();
        }
        if (slave != null) {
            slave.close();
        }
    }

    private void unregister(Runnable call) {
        try {
            call.run();
        } catch (Ros1Exception e) {
            LOG.info("unregistering failed (master gone?): {}", e.getMessage());
        }
    }
}
