package io.farl.controller.fleet;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.farl.model.api.NamedArray;
import io.farl.model.api.ParameterSet;
import io.farl.model.api.PolicyNetworkConfig;
import io.farl.model.api.PolicySnapshot;
import io.farl.model.api.StepRecord;
import io.farl.protocol.v1.LearnControl;
import io.farl.protocol.v1.LearnStatus;
import io.farl.protocol.v1.LearnStep;
import io.farl.protocol.v1.PolicyUpdate;
import io.farl.protocol.v1.StepAck;
import io.farl.protocol.v1.StepBatch;
import io.farl.protocol.v1.Tensor;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Encodes and checks the messages of learning across the link ({@code farl/v1/learning.proto}). Every decoder refuses,
 * with an {@link IllegalArgumentException} naming the message and field, a payload that does not parse, another schema
 * version, another robot id, wrong sizes or non-finite values, and a policy whose SHA-256 does not match its tensors;
 * it never returns a half-checked message.
 */
public final class LearnCodec {
    /** Schema version of the messages written and accepted. */
    public static final int SCHEMA_VERSION = 1;
    /** Largest step batch decoded. */
    public static final int MAX_BATCH_BYTES = 8 << 20;
    /** Largest policy update decoded. */
    public static final int MAX_POLICY_BYTES = 256 << 20;

    private LearnCodec() {
    }

    /** A checked step batch. */
    public record Batch(String robot, String runId, long seq, long createdUnixMillis, List<StepRecord> steps) {
        /** The key under which the learner remembers it was taken. */
        public String key() {
            return robot + "/" + runId;
        }
    }

    /** A checked acknowledgement. */
    public record Ack(String runId, long seq, StepAck.Status status, int stepsAccepted, int stepsStale, String error) {
    }

    /** A checked policy update: the snapshot and what the learner says of it. */
    public record Policy(PolicySnapshot snapshot, String learner, long updates, long stepsTrained, String sha256Hex,
            long createdUnixMillis) {
    }

    // ---- steps ------------------------------------------------------------------------------------------------

    public static byte[] batch(String robot, String runId, long seq, long createdUnixMillis, List<StepRecord> steps) {
        StepBatch.Builder b = StepBatch.newBuilder().setSchemaVersion(SCHEMA_VERSION).setRobot(robot).setRunId(runId)
                .setBatchSeq(seq).setCreatedUnixMillis(createdUnixMillis);
        for (StepRecord s : steps) {
            LearnStep.Builder l = LearnStep.newBuilder().setLogProb(s.proposalLogProb())
                    .setPolicyVersion(s.policyVersion()).setReward(s.reward()).setTerminated(s.terminated())
                    .setTruncated(s.truncated()).setRecoveryActed(s.recoveryActed()).setIrFailure(s.irFailure());
            for (float v : s.observation()) {
                l.addObservation(v);
            }
            for (float v : s.executedAction()) {
                l.addExecutedAction(v);
            }
            for (float v : s.proposedAction()) {
                l.addProposedAction(v);
            }
            for (float v : s.nextObservation()) {
                l.addNextObservation(v);
            }
            b.addSteps(l);
        }
        return b.build().toByteArray();
    }

    /**
     * Decode a batch that arrived on {@code robot}'s steps topic.
     *
     * @param observationSize the learner's observation size
     * @param actionSize      the learner's action size
     */
    public static Batch decodeBatch(String robot, byte[] payload, int observationSize, int actionSize) {
        StepBatch b;
        try {
            b = StepBatch.parseFrom(checkedSize("StepBatch", payload, MAX_BATCH_BYTES));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("StepBatch does not parse: " + e.getMessage(), e);
        }
        checkVersion("StepBatch", b.getSchemaVersion());
        checkRobot("StepBatch", b.getRobot(), robot);
        if (b.getRunId().isEmpty() || b.getRunId().length() > 128) {
            throw new IllegalArgumentException("StepBatch.run_id must be 1..128 characters");
        }
        if (b.getBatchSeq() <= 0) {
            throw new IllegalArgumentException("StepBatch.batch_seq must be >= 1");
        }
        List<StepRecord> steps = new ArrayList<>(b.getStepsCount());
        for (int i = 0; i < b.getStepsCount(); i++) {
            LearnStep s = b.getSteps(i);
            String at = "StepBatch.steps[" + i + "].";
            float[] obs = floats(at + "observation", s.getObservationList(), observationSize);
            float[] next = floats(at + "next_observation", s.getNextObservationList(), observationSize);
            float[] exec = floats(at + "executed_action", s.getExecutedActionList(), actionSize);
            float[] prop = floats(at + "proposed_action", s.getProposedActionList(), actionSize);
            if (!Double.isFinite(s.getReward()) || Double.isNaN(s.getLogProb())) {
                throw new IllegalArgumentException(at + "reward must be finite and log_prob not NaN");
            }
            steps.add(new StepRecord(obs, exec, prop, s.getLogProb(), s.getPolicyVersion(), s.getReward(), next,
                    s.getTerminated(), s.getTruncated(), s.getRecoveryActed(), s.getIrFailure()));
        }
        return new Batch(robot, b.getRunId(), b.getBatchSeq(), b.getCreatedUnixMillis(), List.copyOf(steps));
    }

    /** The run id and sequence of a batch payload this side wrote, without checking the steps. */
    public static Ack identify(byte[] payload) {
        try {
            StepBatch b = StepBatch.parseFrom(payload);
            return new Ack(b.getRunId(), b.getBatchSeq(), StepAck.Status.STATUS_UNSPECIFIED, 0, 0, "");
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("StepBatch does not parse: " + e.getMessage(), e);
        }
    }

    public static byte[] ack(String robot, String runId, long seq, StepAck.Status status, int accepted, int stale,
            String error) {
        return StepAck.newBuilder().setSchemaVersion(SCHEMA_VERSION).setRobot(robot).setRunId(runId).setBatchSeq(seq)
                .setStatus(status).setStepsAccepted(accepted).setStepsStale(stale).setError(error == null ? "" : error)
                .build().toByteArray();
    }

    public static Ack decodeAck(String robot, byte[] payload) {
        StepAck a;
        try {
            a = StepAck.parseFrom(checkedSize("StepAck", payload, 1 << 16));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("StepAck does not parse: " + e.getMessage(), e);
        }
        checkVersion("StepAck", a.getSchemaVersion());
        checkRobot("StepAck", a.getRobot(), robot);
        if (a.getStatus() == StepAck.Status.STATUS_UNSPECIFIED || a.getStatus() == StepAck.Status.UNRECOGNIZED) {
            throw new IllegalArgumentException("StepAck.status is unspecified");
        }
        return new Ack(a.getRunId(), a.getBatchSeq(), a.getStatus(), a.getStepsAccepted(), a.getStepsStale(),
                a.getError());
    }

    // ---- policies ---------------------------------------------------------------------------------------------

    public static byte[] policy(PolicySnapshot s, String learner, long updates, long stepsTrained,
            long createdUnixMillis) {
        PolicyNetworkConfig c = s.networkConfig();
        PolicyUpdate.Builder b = PolicyUpdate.newBuilder().setSchemaVersion(SCHEMA_VERSION).setVersion(s.version())
                .setCreatedUnixMillis(createdUnixMillis).setLearner(learner).setObservationSize(c.observationSize())
                .setActionSize(c.actionSize()).setHiddenSize(c.hiddenSize()).setHiddenLayers(c.hiddenLayers())
                .setInitialLogStd(c.initialLogStd()).setMinLogStd(c.minLogStd()).setMaxLogStd(c.maxLogStd())
                .setUpdates(updates).setStepsTrained(stepsTrained);
        for (Map.Entry<String, NamedArray> e : s.parameters().asMap().entrySet()) {
            Tensor.Builder t = Tensor.newBuilder().setName(e.getKey());
            for (int d : e.getValue().shape()) {
                t.addShape(d);
            }
            for (float v : e.getValue().data()) {
                t.addData(v);
            }
            b.addTensors(t);
        }
        b.setSha256(ByteString.copyFrom(sha256(s.parameters())));
        return b.build().toByteArray();
    }

    /**
     * Decode and check a policy update: schema, sizes, every tensor's shape against its data, the SHA-256 over the
     * tensors and every value finite. Whether the shapes fit the acting policy is the receiver's check.
     */
    public static Policy decodePolicy(byte[] payload) {
        PolicyUpdate u;
        try {
            u = PolicyUpdate.parseFrom(checkedSize("PolicyUpdate", payload, MAX_POLICY_BYTES));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("PolicyUpdate does not parse: " + e.getMessage(), e);
        }
        checkVersion("PolicyUpdate", u.getSchemaVersion());
        PolicyNetworkConfig config;
        try {
            config = new PolicyNetworkConfig(u.getObservationSize(), u.getActionSize(), u.getHiddenSize(),
                    u.getHiddenLayers(), u.getInitialLogStd(), u.getMinLogStd(), u.getMaxLogStd());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("PolicyUpdate network: " + e.getMessage(), e);
        }
        Map<String, NamedArray> arrays = new LinkedHashMap<>();
        for (int i = 0; i < u.getTensorsCount(); i++) {
            Tensor t = u.getTensors(i);
            String at = "PolicyUpdate.tensors[" + i + "] '" + t.getName() + "'";
            int[] shape = new int[t.getShapeCount()];
            for (int k = 0; k < shape.length; k++) {
                shape[k] = t.getShape(k);
            }
            float[] data = new float[t.getDataCount()];
            for (int k = 0; k < data.length; k++) {
                data[k] = t.getData(k);
                if (!Float.isFinite(data[k])) {
                    throw new IllegalArgumentException(at + " value " + k + " is " + data[k]);
                }
            }
            try {
                if (arrays.put(t.getName(), new NamedArray(shape, data)) != null) {
                    throw new IllegalArgumentException("name appears twice");
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(at + ": " + e.getMessage(), e);
            }
        }
        if (arrays.isEmpty()) {
            throw new IllegalArgumentException("PolicyUpdate has no tensors");
        }
        ParameterSet params = new ParameterSet(arrays);
        byte[] actual = sha256(params);
        if (!MessageDigest.isEqual(actual, u.getSha256().toByteArray())) {
            throw new IllegalArgumentException("PolicyUpdate version " + u.getVersion() + ": SHA-256 of the tensors is "
                    + hex(actual) + ", the message says " + hex(u.getSha256().toByteArray()));
        }
        return new Policy(new PolicySnapshot(u.getVersion(), System.nanoTime(), params, config), u.getLearner(),
                u.getUpdates(), u.getStepsTrained(), hex(actual), u.getCreatedUnixMillis());
    }

    /** SHA-256 over the tensors in order, as {@code learning.proto} defines it. */
    public static byte[] sha256(ParameterSet parameters) {
        MessageDigest d;
        try {
            d = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
        byte[] word = new byte[4];
        for (Map.Entry<String, NamedArray> e : parameters.asMap().entrySet()) {
            d.update(e.getKey().getBytes(StandardCharsets.UTF_8));
            d.update((byte) 0);
            for (int dim : e.getValue().shape()) {
                d.update(bigEndian(dim, word));
            }
            for (float v : e.getValue().data()) {
                d.update(bigEndian(Float.floatToRawIntBits(v), word));
            }
        }
        return d.digest();
    }

    // ---- control and status -------------------------------------------------------------------------------------

    public static byte[] rollback(String robot, String reason) {
        return LearnControl.newBuilder().setSchemaVersion(SCHEMA_VERSION).setRobot(robot)
                .setCommand(LearnControl.Command.ROLLBACK).setReason(reason == null ? "" : reason).build()
                .toByteArray();
    }

    public static LearnControl decodeControl(String robot, byte[] payload) {
        LearnControl c;
        try {
            c = LearnControl.parseFrom(checkedSize("LearnControl", payload, 1 << 16));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("LearnControl does not parse: " + e.getMessage(), e);
        }
        checkVersion("LearnControl", c.getSchemaVersion());
        checkRobot("LearnControl", c.getRobot(), robot);
        if (c.getCommand() != LearnControl.Command.ROLLBACK) {
            throw new IllegalArgumentException("LearnControl.command " + c.getCommand() + " is not known");
        }
        return c;
    }

    public static byte[] status(LearnStatus.Builder b) {
        return b.setSchemaVersion(SCHEMA_VERSION).build().toByteArray();
    }

    public static LearnStatus decodeStatus(String robot, byte[] payload) {
        LearnStatus s;
        try {
            s = LearnStatus.parseFrom(checkedSize("LearnStatus", payload, 1 << 16));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("LearnStatus does not parse: " + e.getMessage(), e);
        }
        checkVersion("LearnStatus", s.getSchemaVersion());
        checkRobot("LearnStatus", s.getRobot(), robot);
        return s;
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    public static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder(b.length * 2);
        for (byte x : b) {
            sb.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
        }
        return sb.toString();
    }

    private static byte[] bigEndian(int v, byte[] w) {
        w[0] = (byte) (v >>> 24);
        w[1] = (byte) (v >>> 16);
        w[2] = (byte) (v >>> 8);
        w[3] = (byte) v;
        return w;
    }

    private static float[] floats(String field, List<Float> values, int size) {
        if (values.size() != size) {
            throw new IllegalArgumentException(field + " has " + values.size() + " entries, expected " + size);
        }
        float[] out = new float[size];
        for (int i = 0; i < size; i++) {
            out[i] = values.get(i);
            if (!Float.isFinite(out[i])) {
                throw new IllegalArgumentException(field + "[" + i + "] is " + out[i]);
            }
        }
        return out;
    }

    private static byte[] checkedSize(String message, byte[] payload, int max) {
        if (payload == null || payload.length == 0) {
            throw new IllegalArgumentException(message + " is empty");
        }
        if (payload.length > max) {
            throw new IllegalArgumentException(message + " of " + payload.length + " bytes exceeds " + max);
        }
        return payload;
    }

    private static void checkVersion(String message, int version) {
        if (version != SCHEMA_VERSION) {
            throw new IllegalArgumentException(message + ".schema_version is " + version + ", this reader takes "
                    + SCHEMA_VERSION);
        }
    }

    private static void checkRobot(String message, String actual, String expected) {
        if (!expected.equals(actual)) {
            throw new IllegalArgumentException(message + ".robot is '" + actual + "' on the topic of robot '"
                    + expected + "'");
        }
    }
}
