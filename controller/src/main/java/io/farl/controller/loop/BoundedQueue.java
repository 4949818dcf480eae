package io.farl.controller.loop;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bounded, non-blocking hand-off from the control thread to a consumer thread (recorder, learner). When full, the
 * offer drops the oldest or the newest element and counts it; it never waits for the consumer. The underlying
 * lock is only held for the O(1) insert or remove, never across the consumer's I/O.
 *
 * @param <T> immutable element type
 */
public final class BoundedQueue<T> {

    /** What a full queue gives up. */
    public enum DropPolicy {
        /** Keep the newest elements (the learner wants recent data). */
        DROP_OLDEST,
        /** Keep what is queued (a recorder wants no holes in what it has started). */
        DROP_NEWEST
    }

    private final ArrayBlockingQueue<T> queue;
    private final DropPolicy policy;
    private final String name;
    private final AtomicLong offered = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();

    public BoundedQueue(String name, int capacity, DropPolicy policy) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
        }
        this.name = name;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.policy = policy;
    }

    public String name() {
        return name;
    }

    /** Offer without waiting; returns false when something (this element or the oldest) was dropped. */
    public boolean offer(T element) {
        offered.incrementAndGet();
        if (queue.offer(element)) {
            return true;
        }
        if (policy == DropPolicy.DROP_NEWEST) {
            dropped.incrementAndGet();
            return false;
        }
        // Make room; the consumer may race us to it, so retry until our element is in.
        while (!queue.offer(element)) {
            if (queue.poll() != null) {
                dropped.incrementAndGet();
            }
        }
        return false;
    }

    /** Next element for the consumer, or null; never waits. */
    public T poll() {
        return queue.poll();
    }

    public int size() {
        return queue.size();
    }

    public long offered() {
        return offered.get();
    }

    public long dropped() {
        return dropped.get();
    }
}
