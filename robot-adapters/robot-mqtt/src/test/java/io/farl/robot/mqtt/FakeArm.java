package io.farl.robot.mqtt;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.farl.robot.api.Observation;

/**
 * A {@link LocalArm} that records what it was told, with the time; thread-safe for reading from tests. Its
 * observation is (last executed action[0], 0.2, number of executed commands), so the controller can see over the
 * link when a command was executed.
 */
final class FakeArm implements LocalArm {
    /** One call the arm received. */
    record Call(String kind, double[] action, long nowNanos) {
    }

    private final List<Call> calls = Collections.synchronizedList(new ArrayList<>());
    private volatile double[] state = {0, 0.2, 0};

    @Override
    public int actionSize() {
        return TestRobots.ACT;
    }

    @Override
    public Observation observe(long nowNanos) {
        return new Observation(nowNanos, 0, state.clone());
    }

    @Override
    public void execute(double[] action, long nowNanos) {
        calls.add(new Call("execute", action.clone(), nowNanos));
        state = new double[] {action[0], state[1], state[2] + 1};
    }

    @Override
    public void stop(long nowNanos) {
        calls.add(new Call("stop", null, nowNanos));
    }

    @Override
    public void reset(long seed, long nowNanos) {
        calls.add(new Call("reset", new double[] {seed}, nowNanos));
    }

    List<Call> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    List<Call> executed() {
        return calls().stream().filter(c -> c.kind().equals("execute")).toList();
    }

    List<Call> stops() {
        return calls().stream().filter(c -> c.kind().equals("stop")).toList();
    }
}
