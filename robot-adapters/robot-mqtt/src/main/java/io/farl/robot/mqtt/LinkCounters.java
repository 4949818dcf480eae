package io.farl.robot.mqtt;

import java.util.concurrent.atomic.AtomicLong;

/** Counters of the controller side of the link; written by its threads, read from any thread. */
public final class LinkCounters {
    final AtomicLong observationsReceived = new AtomicLong();
    final AtomicLong observationsOutOfOrder = new AtomicLong();
    final AtomicLong decodeErrors = new AtomicLong();
    final AtomicLong commandsSent = new AtomicLong();
    final AtomicLong commandsSuperseded = new AtomicLong();
    final AtomicLong commandsRefused = new AtomicLong();
    final AtomicLong commandsExpiredUnsent = new AtomicLong();
    final AtomicLong commandsDroppedByOutage = new AtomicLong();
    volatile String lastDecodeError = "";

    /**
     * A consistent-enough copy for reports.
     *
     * @param commandsSuperseded      written but replaced by a newer one before the sender ran (newest wins)
     * @param commandsRefused         refused by {@code write}: link down, robot offline or robot e-stop
     * @param commandsExpiredUnsent   expired before the sender could publish them
     * @param commandsDroppedByOutage not published because the link went down (or came back) after the write
     */
    public record Snapshot(long observationsReceived, long observationsOutOfOrder, long decodeErrors,
            String lastDecodeError, long commandsSent, long commandsSuperseded, long commandsRefused,
            long commandsExpiredUnsent, long commandsDroppedByOutage, long connects, String lastLinkError) {
    }

    Snapshot snapshot(long connects, String lastLinkError) {
        return new Snapshot(observationsReceived.get(), observationsOutOfOrder.get(), decodeErrors.get(),
                lastDecodeError, commandsSent.get(), commandsSuperseded.get(), commandsRefused.get(),
                commandsExpiredUnsent.get(), commandsDroppedByOutage.get(), connects, lastLinkError);
    }
}
