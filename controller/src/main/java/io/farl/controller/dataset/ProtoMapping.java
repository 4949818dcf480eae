package io.farl.controller.dataset;

import io.farl.protocol.v1.EnvelopeIntervention;
import io.farl.protocol.v1.EpisodeFooter;
import io.farl.protocol.v1.EpisodeHeader;
import io.farl.protocol.v1.Kind;
import io.farl.protocol.v1.Label;
import io.farl.protocol.v1.Mode;
import io.farl.protocol.v1.Record;
import io.farl.protocol.v1.Shape;
import io.farl.protocol.v1.Source;
import io.farl.protocol.v1.Step;
import io.farl.protocol.v1.VectorField;
import io.farl.robot.api.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * The edge between the protobuf messages and the {@link Episode} values. Reading checks what protobuf cannot:
 * schema versions, enum values that must be set, and (through the value constructors) finiteness.
 */
final class ProtoMapping {

    private ProtoMapping() {
    }

    static Record toProto(Episode.Header h) {
        EpisodeHeader.Builder b = EpisodeHeader.newBuilder().setSchemaVersion(DatasetFormat.SCHEMA_VERSION)
                .setEpisodeIndex(h.index()).setTask(h.task()).setSeed(h.seed())
                .setSource(Source.forNumber(h.source().ordinal() + 1)).setKind(Kind.forNumber(h.kind().ordinal() + 1))
                .setObservationSize(h.observationSize()).setActionSize(h.actionSize())
                .setControlPeriodNanos(h.controlPeriodNanos()).setStartedUnixMillis(h.startedUnixMillis())
                .setOperatorNote(h.operatorNote()).setActor(h.actor());
        for (Field f : h.observationLayout()) {
            b.addObservationLayout(toProto(f));
        }
        for (Field f : h.actionLayout()) {
            b.addActionLayout(toProto(f));
        }
        for (Episode.Shape s : h.layout()) {
            b.addLayout(Shape.newBuilder().setType(Shape.Type.forNumber(s.type().ordinal() + 1)).setRole(s.role())
                    .setX(s.x()).setY(s.y()).setW(s.w()).setH(s.h()));
        }
        return Record.newBuilder().setHeader(b).build();
    }

    private static VectorField toProto(Field f) {
        return VectorField.newBuilder().setName(f.name()).setOffset(f.offset()).setSize(f.size()).setUnit(f.unit())
                .build();
    }

    private static List<Field> fromProto(String field, List<VectorField> list) {
        List<Field> out = new ArrayList<>(list.size());
        for (VectorField v : list) {
            try {
                out.add(new Field(v.getName(), v.getOffset(), v.getSize(), v.getUnit()));
            } catch (IllegalArgumentException e) {
                throw new InvalidRecordException(field, e.getMessage());
            }
        }
        return out;
    }

    static Record toProto(Episode.Step s) {
        Step.Builder b = Step.newBuilder().setSchemaVersion(DatasetFormat.SCHEMA_VERSION).setIndex(s.index())
                .setStampNanos(s.stampNanos()).setReward(s.reward()).setIrFailure(s.irFailure())
                .setSuccess(s.success()).setMode(Mode.forNumber(s.mode().ordinal() + 1))
                .setPolicyVersion(s.policyVersion()).setTerminated(s.terminated()).setTruncated(s.truncated());
        for (double v : s.observation()) {
            b.addObservation(v);
        }
        for (double v : s.proposedAction()) {
            b.addProposedAction(v);
        }
        for (double v : s.executedAction()) {
            b.addExecutedAction(v);
        }
        for (double v : s.nextObservation()) {
            b.addNextObservation(v);
        }
        s.failureCost().ifPresent(b::setFailureCost);
        s.logProb().ifPresent(b::setLogProb);
        for (Episode.Intervention i : s.interventions()) {
            b.addInterventions(EnvelopeIntervention.newBuilder().setLimit(i.limit()).setIndex(i.index())
                    .setRequested(i.requested()).setApplied(i.applied()));
        }
        return Record.newBuilder().setStep(b).build();
    }

    static Record toProto(Episode.Footer f) {
        EpisodeFooter.Builder b = EpisodeFooter.newBuilder().setSchemaVersion(DatasetFormat.SCHEMA_VERSION)
                .setEpisodeIndex(f.episodeIndex()).setLabel(Label.forNumber(f.label().ordinal() + 1))
                .setSteps(f.steps()).setEpisodeReturn(f.episodeReturn()).setSuccess(f.success())
                .setOperatorNote(f.operatorNote()).setFailureSteps(f.failureSteps());
        f.failureStep().ifPresent(b::setFailureStep);
        return Record.newBuilder().setFooter(b).build();
    }

    static Episode.Header fromProto(EpisodeHeader p) {
        checkSchema("header.schema_version", p.getSchemaVersion());
        List<Episode.Shape> layout = new ArrayList<>(p.getLayoutCount());
        for (Shape s : p.getLayoutList()) {
            layout.add(new Episode.Shape(enumValue("header.layout.type", s.getTypeValue(), Episode.ShapeType.values()),
                    s.getRole(), s.getX(), s.getY(), s.getW(), s.getH()));
        }
        return new Episode.Header(p.getEpisodeIndex(), p.getTask(), p.getSeed(),
                enumValue("header.source", p.getSourceValue(), Episode.Source.values()),
                enumValue("header.kind", p.getKindValue(), Episode.Kind.values()), p.getObservationSize(),
                p.getActionSize(), p.getControlPeriodNanos(), layout, p.getStartedUnixMillis(), p.getOperatorNote(),
                p.getActor(), fromProto("header.observation_layout", p.getObservationLayoutList()),
                fromProto("header.action_layout", p.getActionLayoutList()));
    }

    static Episode.Step fromProto(Step p) {
        checkSchema("step.schema_version", p.getSchemaVersion());
        List<Episode.Intervention> interventions = new ArrayList<>(p.getInterventionsCount());
        for (EnvelopeIntervention i : p.getInterventionsList()) {
            interventions.add(new Episode.Intervention(i.getLimit(), i.getIndex(), i.getRequested(), i.getApplied()));
        }
        return new Episode.Step(p.getIndex(), p.getStampNanos(), toArray(p.getObservationList()),
                toArray(p.getProposedActionList()), toArray(p.getExecutedActionList()), p.getReward(),
                p.getIrFailure(), p.getSuccess(), enumValue("step.mode", p.getModeValue(), Episode.Mode.values()),
                p.hasFailureCost() ? OptionalDouble.of(p.getFailureCost()) : OptionalDouble.empty(), interventions,
                p.getPolicyVersion(), p.hasLogProb() ? OptionalDouble.of(p.getLogProb()) : OptionalDouble.empty(),
                toArray(p.getNextObservationList()), p.getTerminated(), p.getTruncated());
    }

    static Episode.Footer fromProto(EpisodeFooter p) {
        checkSchema("footer.schema_version", p.getSchemaVersion());
        return new Episode.Footer(p.getEpisodeIndex(),
                enumValue("footer.label", p.getLabelValue(), Episode.Label.values()), p.getSteps(),
                p.hasFailureStep() ? OptionalInt.of(p.getFailureStep()) : OptionalInt.empty(), p.getEpisodeReturn(),
                p.getSuccess(), p.getOperatorNote(), p.getFailureSteps());
    }

    private static void checkSchema(String field, int version) {
        if (version != DatasetFormat.SCHEMA_VERSION) {
            throw new InvalidRecordException(field, "is " + version + ", this build reads schema version "
                    + DatasetFormat.SCHEMA_VERSION);
        }
    }

    /** Proto enums number their values from 1 in the order of the Java enums; 0 means unset. */
    private static <E extends Enum<E>> E enumValue(String field, int number, E[] values) {
        if (number < 1 || number > values.length) {
            throw new InvalidRecordException(field, number == 0 ? "is unset" : "has unknown value " + number);
        }
        return values[number - 1];
    }

    private static double[] toArray(List<Double> list) {
        double[] a = new double[list.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = list.get(i);
        }
        return a;
    }
}
