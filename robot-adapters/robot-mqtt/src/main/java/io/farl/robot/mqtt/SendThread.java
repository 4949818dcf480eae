package io.farl.robot.mqtt;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The thread that talks to Paho on behalf of a control thread. A control thread hands over work without blocking:
 * {@link #offerLatest} into a single slot (newest wins: a task not yet run is replaced and counted), for streams
 * such as commands and observations; {@link #offerEvent} into a bounded queue (refused when full), for QoS 1 events
 * that must not replace each other (e-stop, episode events). Events run before the latest task.
 *
 * <p>Lifecycle: {@link #start()} once, {@link #close()} once; tasks offered after close are dropped.
 */
final class SendThread implements AutoCloseable {
    private final AtomicReference<Runnable> latest = new AtomicReference<>();
    private final ArrayBlockingQueue<Runnable> events = new ArrayBlockingQueue<>(64);
    private final AtomicLong superseded = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    SendThread(String name) {
        thread = new Thread(this::loop, name);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Replace the pending stream task; never blocks. */
    void offerLatest(Runnable task) {
        if (latest.getAndSet(task) != null) {
            superseded.incrementAndGet();
        }
        LockSupport.unpark(thread);
    }

    /** Queue an event task; never blocks. @return false when the queue is full (nothing queued) */
    boolean offerEvent(Runnable task) {
        boolean queued = events.offer(task);
        LockSupport.unpark(thread);
        return queued;
    }

    /** Drop the pending stream task (on activation or an outage). */
    void clearLatest() {
        latest.set(null);
    }

    /** Stream tasks replaced before they ran. */
    long superseded() {
        return superseded.get();
    }

    private void loop() {
        while (running) {
            Runnable e;
            while ((e = events.poll()) != null) {
                e.run();
            }
            Runnable t = latest.getAndSet(null);
            if (t != null) {
                t.run();
            } else if (events.isEmpty()) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
        }
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(1000);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
    }
}
