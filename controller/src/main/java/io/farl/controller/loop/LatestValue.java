package io.farl.controller.loop;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Single-slot hand-off of the newest value between threads: the producer overwrites, the consumer reads the newest
 * and checks its age itself (values carry their producer stamp). Never blocks, and {@link #publish} and
 * {@link #latest} never allocate, so the control thread may publish every period.
 *
 * <p>{@link #clear()} (on every activation and deactivation) starts a new epoch: a value published for an older
 * epoch, e.g. computed from an observation taken before the clear, is never returned, so nothing from before is
 * replayed even when the producer was mid-computation during the clear. Each epoch has its own slot (allocated by
 * {@code clear}, which is not on the steady-state path); a publish that races a clear lands in the old epoch's slot,
 * which nobody reads any more.
 *
 * @param <T> immutable value type
 */
public final class LatestValue<T> {
    /** The holder of one epoch. Only {@link #value} changes, and only for this epoch. */
    private static final class Slot<T> {
        final long epoch;
        volatile T value;

        Slot(long epoch) {
            this.epoch = epoch;
        }
    }

    private final AtomicReference<Slot<T>> slot = new AtomicReference<>(new Slot<>(0));
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();

    /** Current epoch; a producer reads it before starting work and passes it to {@link #publish(Object, long)}. */
    public long epoch() {
        return slot.get().epoch;
    }

    /** Publish for the current epoch. */
    public void publish(T value) {
        publish(value, epoch());
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
        Slot<T> s = slot.get();
        if (s.epoch != producerEpoch) {
            rejected.incrementAndGet();
            return false;
        }
        s.value = value;
        published.incrementAndGet();
        return true;
    }

    /** The newest value of the current epoch, or null. */
    public T latest() {
        return slot.get().value;
    }

    /** Drop the value and start a new epoch. Allocates one small slot: call on state changes only. */
    public void clear() {
        Slot<T> s;
        do {
            s = slot.get();
        } while (!slot.compareAndSet(s, new Slot<>(s.epoch + 1)));
    }

    public long published() {
        return published.get();
    }

    /** Values refused because they were computed before a clear. */
    public long rejected() {
        return rejected.get();
    }
}
