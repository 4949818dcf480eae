package io.farl.controller.loop;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Single-slot hand-off of the newest value between threads: the producer overwrites, the consumer reads the newest
 * and checks its age itself (values carry their producer stamp). Never blocks.
 *
 * <p>{@link #clear()} (on every activation and deactivation) starts a new epoch: a value published for an older
 * epoch, e.g. computed from an observation taken before the clear, is never returned, so nothing from before is
 * replayed even when the producer was mid-computation during the clear.
 *
 * @param <T> immutable value type
 */
public final class LatestValue<T> {
    private record Slot<T>(T value, long epoch) {
    }

    private final AtomicReference<Slot<T>> slot = new AtomicReference<>();
    private final AtomicLong epoch = new AtomicLong();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();

    /** Current epoch; a producer reads it before starting work and passes it to {@link #publish(Object, long)}. */
    public long epoch() {
        return epoch.get();
    }

    /** Publish for the current epoch. */
    public void publish(T value) {
        publish(value, epoch.get());
    }

    /**
     * Publish a value computed during {@code producerEpoch}.
     *
     * @return false (and nothing stored) when the holder was cleared since
     */
    public boolean publish(T value, long producerEpoch) {
        if (value == null) {
            throw new IllegalArgumentException("value must not be null");
        }
        if (producerEpoch != epoch.get()) {
            rejected.incrementAndGet();
            return false;
        }
        slot.set(new Slot<>(value, producerEpoch));
        published.incrementAndGet();
        return true;
    }

    /** The newest value of the current epoch, or null. */
    public T latest() {
        Slot<T> s = slot.get();
        return s == null || s.epoch != epoch.get() ? null : s.value;
    }

    /** Drop the value and start a new epoch. */
    public void clear() {
        epoch.incrementAndGet();
        slot.set(null);
    }

    public long published() {
        return published.get();
    }

    /** Values refused because they were computed before a clear. */
    public long rejected() {
        return rejected.get();
    }
}
