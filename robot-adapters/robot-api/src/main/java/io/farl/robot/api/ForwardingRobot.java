package io.farl.robot.api;

/**
 * A robot that hands every call to another one; subclasses override what they change (an episode counter, a
 * rearranged observation). Lifecycle and state table: the delegate's. Same threading as the delegate.
 */
public abstract class ForwardingRobot implements Robot {
    private final Robot delegate;

    protected ForwardingRobot(Robot delegate) {
        if (delegate == null) {
            throw new IllegalArgumentException("delegate must be given");
        }
        this.delegate = delegate;
    }

    /** The robot every call goes to. */
    protected Robot delegate() {
        return delegate;
    }

    @Override
    public RobotDescription description() {
        return delegate.description();
    }

    @Override
    public LifecycleState state() {
        return delegate.state();
    }

    @Override
    public void configure() {
        delegate.configure();
    }

    @Override
    public void activate() {
        delegate.activate();
    }

    @Override
    public void deactivate() {
        delegate.deactivate();
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public RobotStatus read(long nowNanos, long periodNanos) {
        return delegate.read(nowNanos, periodNanos);
    }

    @Override
    public Observation latest() {
        return delegate.latest();
    }

    @Override
    public RobotStatus write(long nowNanos, long periodNanos, Command command) {
        return delegate.write(nowNanos, periodNanos, command);
    }

    @Override
    public double measuredGripperCommand(Observation measured) {
        return delegate.measuredGripperCommand(measured);
    }
}
