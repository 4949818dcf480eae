package io.farl.robot.api;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * The one home of the {@link Robot} lifecycle table and of the checks every robot makes on {@code read} and
 * {@code write}. Subclasses fill the specific part in the {@code on…} hooks and {@link #readActive}/
 * {@link #writeActive}; the public lifecycle and I/O methods are final.
 *
 * <pre>
 * from \ event  configure  activate  deactivate  close
 * UNCONFIGURED  INACTIVE   illegal   illegal     FINALIZED
 * INACTIVE      illegal    ACTIVE    illegal     FINALIZED
 * ACTIVE        illegal    illegal   INACTIVE    FINALIZED (deactivates first)
 * FINALIZED     illegal    illegal   illegal     FINALIZED (no-op)
 * </pre>
 *
 * An illegal event throws {@link IllegalStateException} naming the event, the state and the robot. A hook that throws
 * leaves the state unchanged (close still finalizes). {@code read} and {@code write} outside ACTIVE return
 * {@link RobotStatus#NOT_ACTIVE}; {@code write} refuses a null, wrongly sized or non-finite command
 * ({@link RobotStatus#FAULT}) and an expired one ({@link RobotStatus#EXPIRED}) before the subclass sees it.
 *
 * <p>Threads: lifecycle and I/O from the loop owner's thread; {@link #state()} from any thread.
 */
public abstract class LifecycleRobot implements Robot {

    /** Lifecycle events; the table says where each leads from each state. */
    private enum Event {
        CONFIGURE, ACTIVATE, DEACTIVATE, CLOSE
    }

    private static final Map<LifecycleState, Map<Event, LifecycleState>> TABLE = buildTable();

    private volatile LifecycleState state = LifecycleState.UNCONFIGURED;

    private static Map<LifecycleState, Map<Event, LifecycleState>> buildTable() {
        Map<LifecycleState, Map<Event, LifecycleState>> t = new EnumMap<>(LifecycleState.class);
        for (LifecycleState s : LifecycleState.values()) {
            t.put(s, new EnumMap<>(Event.class));
            t.get(s).put(Event.CLOSE, LifecycleState.FINALIZED);
        }
        t.get(LifecycleState.UNCONFIGURED).put(Event.CONFIGURE, LifecycleState.INACTIVE);
        t.get(LifecycleState.INACTIVE).put(Event.ACTIVATE, LifecycleState.ACTIVE);
        t.get(LifecycleState.ACTIVE).put(Event.DEACTIVATE, LifecycleState.INACTIVE);
        return t;
    }

    /** True when the table allows {@code event} (lower-case name of a lifecycle method) in {@code from}. */
    public static boolean allowed(LifecycleState from, String event) {
        return TABLE.get(from).containsKey(Event.valueOf(event.toUpperCase(Locale.ROOT)));
    }

    @Override
    public final LifecycleState state() {
        return state;
    }

    private LifecycleState target(Event event) {
        LifecycleState to = TABLE.get(state).get(event);
        if (to == null) {
            throw new IllegalStateException("illegal " + event.name().toLowerCase(Locale.ROOT) + " in state " + state
                    + " for " + name());
        }
        return to;
    }

    /** Name for messages; the description's name by default. */
    protected String name() {
        return description().name();
    }

    @Override
    public final void configure() {
        LifecycleState to = target(Event.CONFIGURE);
        onConfigure();
        state = to;
    }

    @Override
    public final void activate() {
        LifecycleState to = target(Event.ACTIVATE);
        onActivate();
        state = to;
    }

    @Override
    public final void deactivate() {
        LifecycleState to = target(Event.DEACTIVATE);
        onDeactivate();
        state = to;
    }

    @Override
    public final void close() {
        if (state == LifecycleState.FINALIZED) {
            return;
        }
        try {
            if (state == LifecycleState.ACTIVE) {
                onDeactivate();
            }
        } finally {
            try {
                onClose();
            } finally {
                state = LifecycleState.FINALIZED;
            }
        }
    }

    @Override
    public final RobotStatus read(long nowNanos, long periodNanos) {
        if (state != LifecycleState.ACTIVE) {
            return RobotStatus.NOT_ACTIVE;
        }
        return readActive(nowNanos, periodNanos);
    }

    @Override
    public final RobotStatus write(long nowNanos, long periodNanos, Command command) {
        if (state != LifecycleState.ACTIVE) {
            return RobotStatus.NOT_ACTIVE;
        }
        if (command == null || command.action().length != description().actionSize()
                || command.firstNonFinite() >= 0) {
            return RobotStatus.FAULT;
        }
        if (command.expiredAt(nowNanos)) {
            return RobotStatus.EXPIRED;
        }
        return writeActive(nowNanos, periodNanos, command);
    }

    /** Open connections, learn the description. Default: nothing. */
    protected void onConfigure() {
    }

    /** Start streaming; clear the latest observation so nothing from before is replayed. */
    protected abstract void onActivate();

    /** Stop streaming; clear the latest observation. */
    protected abstract void onDeactivate();

    /** Release resources. Default: nothing. */
    protected void onClose() {
    }

    /** {@link #read} while ACTIVE. */
    protected abstract RobotStatus readActive(long nowNanos, long periodNanos);

    /** {@link #write} while ACTIVE, for a well-formed command that has not expired. */
    protected abstract RobotStatus writeActive(long nowNanos, long periodNanos, Command command);
}
