package io.farl.model.api;

/**
 * One executed control step, as handed to a {@link Learner}.
 *
 * @param observation       observation the decision was made on
 * @param executedAction    action actually sent to the robot (after gate and envelope)
 * @param proposedAction    action the task policy proposed
 * @param proposalLogProb   log-density of {@code proposedAction} under the task policy that proposed it (nats)
 * @param policyVersion     version of the task policy that proposed it
 * @param reward            realised reward of the step
 * @param nextObservation   observation after the step; the learner continues an episode's λ-return into the next
 *                          record only when that record's {@code observation} equals it. For a terminated step
 *                          without a later reading, the step's own observation (it is not bootstrapped from)
 * @param terminated        the episode ended in a terminal state (success or IR failure): no bootstrap
 * @param truncated         the episode was cut by a time limit or operator: bootstrap from the next state
 * @param recoveryActed     the step was overridden: the recovery policy, a hold (or a human) chose the executed
 *                          action instead of the task policy (see {@link RecoveryStorage})
 * @param irFailure         C(s, a) = 1 on this step
 */
public record StepRecord(float[] observation, float[] executedAction, float[] proposedAction, double proposalLogProb,
        long policyVersion, double reward, float[] nextObservation, boolean terminated, boolean truncated,
        boolean recoveryActed, boolean irFailure) {

    public StepRecord {
        if (observation == null || executedAction == null || proposedAction == null || nextObservation == null) {
            throw new IllegalArgumentException("step record arrays must not be null");
        }
        if (executedAction.length != proposedAction.length) {
            throw new IllegalArgumentException("executed and proposed actions differ in length: "
                    + executedAction.length + " vs " + proposedAction.length);
        }
        if (observation.length != nextObservation.length) {
            throw new IllegalArgumentException("observation and next observation differ in length");
        }
        if (!Double.isFinite(reward) || Double.isNaN(proposalLogProb)) {
            throw new IllegalArgumentException("reward must be finite and log-prob not NaN");
        }
    }

    public boolean done() {
        return terminated || truncated;
    }

    /** Writes {@code s} for {@link #read} (learner checkpoints). */
    public static void write(java.io.DataOutput out, StepRecord s) throws java.io.IOException {
        writeFloats(out, s.observation());
        writeFloats(out, s.executedAction());
        writeFloats(out, s.proposedAction());
        out.writeDouble(s.proposalLogProb());
        out.writeLong(s.policyVersion());
        out.writeDouble(s.reward());
        writeFloats(out, s.nextObservation());
        out.writeBoolean(s.terminated());
        out.writeBoolean(s.truncated());
        out.writeBoolean(s.recoveryActed());
        out.writeBoolean(s.irFailure());
    }

    /** Reads what {@link #write} wrote. */
    public static StepRecord read(java.io.DataInput in) throws java.io.IOException {
        return new StepRecord(readFloats(in), readFloats(in), readFloats(in), in.readDouble(), in.readLong(),
                in.readDouble(), readFloats(in), in.readBoolean(), in.readBoolean(), in.readBoolean(),
                in.readBoolean());
    }

    /** A length-prefixed float array. */
    public static void writeFloats(java.io.DataOutput out, float[] v) throws java.io.IOException {
        out.writeInt(v.length);
        for (float f : v) {
            out.writeFloat(f);
        }
    }

    /** Reads what {@link #writeFloats} wrote. */
    public static float[] readFloats(java.io.DataInput in) throws java.io.IOException {
        int n = in.readInt();
        if (n < 0 || n > 1 << 24) {
            throw new java.io.IOException("bad array length " + n);
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = in.readFloat();
        }
        return v;
    }
}
