package io.farl.robot.ros1.node;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One subscriber connected to one of our publishers. {@link #offer} never blocks: frames go to a bounded queue
 * (the oldest is dropped and counted when full) that the link's own writer thread drains to the socket. A write
 * error closes the link and reports it to the publisher.
 */
final class PublisherLink {
    private static final Logger LOG = LoggerFactory.getLogger(PublisherLink.class);
    private static final int QUEUE_FRAMES = 32;

    private final Socket socket;
    private final String subscriberId;
    private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(QUEUE_FRAMES);
    private final AtomicLong dropped = new AtomicLong();
    private final Thread writer;
    private volatile boolean closed;

    PublisherLink(Socket socket, String subscriberId, String topic, Consumer<PublisherLink> onClose) {
        this.socket = socket;
        this.subscriberId = subscriberId;
        writer = new Thread(() -> drain(onClose), "ros1-pub " + topic + " -> " + subscriberId);
        writer.setDaemon(true);
    }

    void start() {
        writer.start();
        Thread watcher = new Thread(this::watchPeer, writer.getName() + " (peer)");
        watcher.setDaemon(true);
        watcher.start();
    }

    /** Subscribers send nothing after their header: end of stream means the peer is gone, so close at once. */
    private void watchPeer() {
        try {
            while (!closed && socket.getInputStream().read() >= 0) {
                continue;
            }
        } catch (IOException e) {
            LOG.debug("peer {} read: {}", subscriberId, e.getMessage());
        }
        if (!closed) {
            LOG.info("subscriber {} closed its connection", subscriberId);
            close();
        }
    }

    String subscriberId() {
        return subscriberId;
    }

    long dropped() {
        return dropped.get();
    }

    /** Queues one framed message; drops the oldest queued one when full. */
    void offer(byte[] frame) {
        while (!queue.offer(frame)) {
            if (queue.poll() != null) {
                dropped.incrementAndGet();
            }
        }
    }

    private void drain(Consumer<PublisherLink> onClose) {
        try (socket) {
            OutputStream out = socket.getOutputStream();
            while (!closed) {
                byte[] frame = queue.take();
                out.write(frame);
                out.flush();
            }
        } catch (IOException e) {
            if (!closed) {
                LOG.info("subscriber {} disconnected: {}", subscriberId, e.getMessage());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closed = true;
            onClose.accept(this);
        }
    }

    void close() {
        closed = true;
        writer.interrupt();
        try {
            socket.close();
        } catch (IOException e) {
            LOG.debug("closing link to {}: {}", subscriberId, e.getMessage());
        }
    }
}
