package io.farl.robot.ros1.node;

import io.farl.robot.ros1.msg.MessageCodec;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A topic this node subscribes to: one {@link SubscriberLink} per publisher the master names. The listener runs on
 * the links' threads: it must decode-validate-store and return (e.g. put the value in a single-slot holder).
 *
 * @param <T> message value type
 */
public final class Ros1Subscriber<T> {
    private final String callerId;
    private final String topic;
    private final MessageCodec<T> codec;
    private final Consumer<T> listener;
    private final int timeoutMillis;
    private final Map<String, SubscriberLink<T>> links = new LinkedHashMap<>();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong decodeErrors = new AtomicLong();

    Ros1Subscriber(String callerId, String topic, MessageCodec<T> codec, Consumer<T> listener, int timeoutMillis) {
        this.callerId = callerId;
        this.topic = topic;
        this.codec = codec;
        this.timeoutMillis = timeoutMillis;
        this.listener = v -> {
            received.incrementAndGet();
            listener.accept(v);
        };
    }

    public String topic() {
        return topic;
    }

    public MessageCodec<T> codec() {
        return codec;
    }

    public long received() {
        return received.get();
    }

    public long decodeErrors() {
        return decodeErrors.get();
    }

    /** Number of publishers with an open connection. */
    public synchronized int connectedPublishers() {
        return (int) links.values().stream().filter(SubscriberLink::connected).count();
    }

    /** Connects to new publishers and drops links to publishers no longer listed. */
    synchronized void updatePublishers(List<String> publisherUris) {
        Set<String> wanted = new HashSet<>(publisherUris);
        links.entrySet().removeIf(e -> {
            if (!wanted.contains(e.getKey())) {
                e.getValue().close();
                return true;
            }
            return false;
        });
        for (String uri : publisherUris) {
            if (!links.containsKey(uri)) {
                SubscriberLink<T> link = new SubscriberLink<>(callerId, topic, uri, codec, listener, decodeErrors,
                        timeoutMillis);
                links.put(uri, link);
                link.start();
            }
        }
    }

    synchronized Object[] busInfo(int[] nextId) {
        return links.values().stream()
                .map(l -> new Object[] {nextId[0]++, l.publisherUri(), "i", "TCPROS", topic, l.connected()})
                .toArray();
    }

    synchronized void closeLinks() {
        links.values().forEach(SubscriberLink::close);
        links.clear();
    }
}
