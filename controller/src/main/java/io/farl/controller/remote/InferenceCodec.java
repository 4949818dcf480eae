package io.farl.controller.remote;

import com.google.protobuf.InvalidProtocolBufferException;
import io.farl.controller.loop.Proposal;
import io.farl.protocol.v1.ProposalReply;
import io.farl.protocol.v1.ProposalRequest;
import io.farl.robot.api.Observation;

/**
 * Encodes and checks the remote-inference messages ({@code farl/v1/inference.proto}). Every decoder refuses, with an
 * {@link IllegalArgumentException} naming the field, a payload that does not parse, another schema version, another
 * robot id, wrong vector sizes or non-finite values; it never returns a half-checked message.
 */
public final class InferenceCodec {
    /** Schema version of the messages written and accepted. */
    public static final int SCHEMA_VERSION = 1;
    /** Largest payload decoded. */
    public static final int MAX_PAYLOAD_BYTES = 64 * 1024;

    private InferenceCodec() {
    }

    /** A checked request, as the server sees it. */
    public record Request(String robot, long requestId, Observation observation, long budgetNanos) {
    }

    /** A checked reply, as the controller sees it. */
    public record Reply(long requestId, ProposalReply.Status status, Proposal proposal, int batchSize,
            long serverNanos, long computeNanos, String error) {
    }

    public static byte[] request(String robot, long requestId, Observation o, long budgetNanos) {
        io.farl.protocol.v1.Observation.Builder ob = io.farl.protocol.v1.Observation.newBuilder()
                .setSchemaVersion(SCHEMA_VERSION).setStampNanos(o.stampNanos()).setSequence(o.sequence())
                .setRobot(robot);
        for (double v : o.values()) {
            ob.addValues(v);
        }
        return ProposalRequest.newBuilder().setSchemaVersion(SCHEMA_VERSION).setRobot(robot).setRequestId(requestId)
                .setObservation(ob).setBudgetMicros((int) Math.min(Integer.MAX_VALUE, Math.max(0,
                        budgetNanos / 1000))).build().toByteArray();
    }

    /**
     * Decode a request that arrived on {@code robot}'s request topic.
     *
     * @param observationSize the size the served models expect
     */
    public static Request decodeRequest(String robot, byte[] payload, int observationSize) {
        ProposalRequest r;
        try {
            r = ProposalRequest.parseFrom(checkedSize(payload));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("ProposalRequest does not parse: " + e.getMessage(), e);
        }
        checkVersion("ProposalRequest", r.getSchemaVersion());
        if (!robot.equals(r.getRobot())) {
            throw new IllegalArgumentException("ProposalRequest.robot is '" + r.getRobot() + "' on the topic of robot '"
                    + robot + "'");
        }
        if (!r.hasObservation()) {
            throw new IllegalArgumentException("ProposalRequest.observation is missing");
        }
        io.farl.protocol.v1.Observation o = r.getObservation();
        if (o.getValuesCount() != observationSize) {
            throw new IllegalArgumentException("ProposalRequest.observation.values has " + o.getValuesCount()
                    + " entries; the served models take " + observationSize);
        }
        double[] v = new double[observationSize];
        for (int i = 0; i < v.length; i++) {
            v[i] = o.getValues(i);
            if (!Double.isFinite(v[i])) {
                throw new IllegalArgumentException("ProposalRequest.observation.values[" + i + "] is " + v[i]);
            }
        }
        if (r.getBudgetMicros() <= 0) {
            throw new IllegalArgumentException("ProposalRequest.budget_micros must be > 0");
        }
        return new Request(robot, r.getRequestId(), new Observation(o.getStampNanos(), o.getSequence(), v),
                r.getBudgetMicros() * 1000L);
    }

    /** An OK reply carrying {@code p}. */
    public static byte[] reply(Request req, Proposal p, int batchSize, long serverNanos, long computeNanos) {
        ProposalReply.Builder b = header(req, ProposalReply.Status.OK).setTaskCost(p.taskCost())
                .setRecoveryCost(p.recoveryCost()).setLogProb(p.logProb()).setPolicyVersion(p.policyVersion())
                .setBatchSize(batchSize).setServerNanos(serverNanos).setComputeNanos(computeNanos);
        for (double a : p.taskAction()) {
            b.addTaskAction(a);
        }
        for (double a : p.recoveryAction()) {
            b.addRecoveryAction(a);
        }
        return b.build().toByteArray();
    }

    /** A LATE or ERROR reply. */
    public static byte[] refusal(Request req, ProposalReply.Status status, String error, long serverNanos) {
        return header(req, status).setError(error == null ? "" : error).setServerNanos(serverNanos).build()
                .toByteArray();
    }

    /** An ERROR reply to a request that could not be decoded (the request id is unknown, so 0). */
    public static byte[] undecodable(String robot, String error) {
        return ProposalReply.newBuilder().setSchemaVersion(SCHEMA_VERSION).setRobot(robot)
                .setStatus(ProposalReply.Status.ERROR).setError(error).build().toByteArray();
    }

    private static ProposalReply.Builder header(Request req, ProposalReply.Status status) {
        return ProposalReply.newBuilder().setSchemaVersion(SCHEMA_VERSION).setRobot(req.robot())
                .setRequestId(req.requestId()).setStatus(status)
                .setObservationStampNanos(req.observation().stampNanos())
                .setObservationSequence(req.observation().sequence());
    }

    /**
     * Decode a reply for {@code robot}. An OK reply must carry two actions of {@code actionSize} finite entries; its
     * costs may be NaN (the gate treats NaN as unsafe) but not infinite or negative.
     */
    public static Reply decodeReply(String robot, byte[] payload, int actionSize) {
        ProposalReply r;
        try {
            r = ProposalReply.parseFrom(checkedSize(payload));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("ProposalReply does not parse: " + e.getMessage(), e);
        }
        checkVersion("ProposalReply", r.getSchemaVersion());
        if (!robot.equals(r.getRobot())) {
            throw new IllegalArgumentException("ProposalReply.robot is '" + r.getRobot() + "', expected '" + robot
                    + "'");
        }
        if (r.getStatus() == ProposalReply.Status.STATUS_UNSPECIFIED
                || r.getStatus() == ProposalReply.Status.UNRECOGNIZED) {
            throw new IllegalArgumentException("ProposalReply.status is unspecified");
        }
        if (r.getStatus() != ProposalReply.Status.OK) {
            return new Reply(r.getRequestId(), r.getStatus(), null, 0, r.getServerNanos(), 0, r.getError());
        }
        double[] task = actions("task_action", r.getTaskActionList(), actionSize);
        double[] recovery = actions("recovery_action", r.getRecoveryActionList(), actionSize);
        checkCost("task_cost", r.getTaskCost());
        checkCost("recovery_cost", r.getRecoveryCost());
        Proposal p = new Proposal(r.getObservationStampNanos(), r.getObservationSequence(), task, r.getTaskCost(),
                recovery, r.getRecoveryCost(), r.getLogProb(), r.getPolicyVersion());
        return new Reply(r.getRequestId(), r.getStatus(), p, r.getBatchSize(), r.getServerNanos(),
                r.getComputeNanos(), "");
    }

    private static double[] actions(String field, java.util.List<Double> values, int size) {
        if (values.size() != size) {
            throw new IllegalArgumentException("ProposalReply." + field + " has " + values.size()
                    + " entries; the robot's action size is " + size);
        }
        double[] a = new double[size];
        for (int i = 0; i < size; i++) {
            a[i] = values.get(i);
            if (!Double.isFinite(a[i])) {
                throw new IllegalArgumentException("ProposalReply." + field + "[" + i + "] is " + a[i]);
            }
        }
        return a;
    }

    private static void checkCost(String field, double c) {
        if (Double.isInfinite(c) || c < 0) {
            throw new IllegalArgumentException("ProposalReply." + field + " is " + c);
        }
    }

    private static void checkVersion(String message, int version) {
        if (version != SCHEMA_VERSION) {
            throw new IllegalArgumentException(message + ".schema_version is " + version + ", this reader takes "
                    + SCHEMA_VERSION);
        }
    }

    private static byte[] checkedSize(byte[] payload) {
        if (payload == null) {
            throw new IllegalArgumentException("payload is missing");
        }
        if (payload.length > MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("payload of " + payload.length + " bytes exceeds "
                    + MAX_PAYLOAD_BYTES);
        }
        return payload;
    }
}
