package io.farl.safety;

/**
 * Receives {@link SupervisorEvent}s on the loop thread. Must not block, do I/O or take locks shared with I/O
 * threads: hand the event to a queue and return. Exceptions are caught and counted by the supervisor.
 */
@FunctionalInterface
public interface SupervisorListener {
    void onEvent(SupervisorEvent event);
}
