package io.farl.launch;

import io.farl.controller.loop.ProposalSource;
import io.farl.controller.remote.RecoveryFallback;
import io.farl.controller.remote.RemoteProposalSource;
import io.farl.controller.remote.RemoteSettings;
import io.farl.controller.session.ModelProposalSource;
import io.farl.controller.session.SessionMethod;
import io.farl.pipeline.online.InitModels;
import io.farl.robot.api.RobotDescription;
import io.farl.robot.mqtt.MqttInferenceClient;
import io.farl.robot.mqtt.MqttLinkConfig;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Option;

/** {@code farl run}'s choice between local and remote inference, and the remote link's settings. */
final class RemoteInferenceOptions {

    @Option(names = "--inference", defaultValue = "local", paramLabel = "local|remote", description = "Where the "
            + "models run: local (default: this process, plain JVM) or remote (a farl serve reached through --broker, "
            + "with a deadline per request and the --fallback on a miss).")
    String inference;

    @Option(names = "--fallback", defaultValue = "recovery", paramLabel = "recovery|local|hold", description =
            "With --inference remote, what stands in for a missing remote decision (deadline, open circuit, refusal): "
            + "recovery (default: the local recovery policy, executed when its local C_H is at most eps_safe, else "
            + "hold), local (the whole decision on the local CPU copy of the models) or hold.")
    String fallback;

    @Option(names = "--remote-deadline-ms", paramLabel = "MS", description = "With --inference remote, how long a "
            + "request may wait for its reply (default: 60% of the control period).")
    Double deadlineMillis;

    /** A remote link in use: the proposal source the loop calls and the MQTT client under it. */
    record Opened(RemoteProposalSource source, MqttInferenceClient client, ProposalSource fallback) {
    }

    boolean remote() {
        return switch (inference) {
            case "local" -> false;
            case "remote" -> true;
            default -> throw new BadInputException("--inference must be local or remote, got " + inference);
        };
    }

    /**
     * The remote proposal source for the robot of {@code link}, its client started (connecting in the background),
     * with the local fallback made from {@code init}.
     */
    Opened open(MqttLinkConfig link, InitModels init, RobotDescription desc, long seed) {
        RemoteSettings settings = RemoteSettings.forPeriod(desc.controlPeriodNanos());
        try {
            settings = settings.withFallback(RemoteSettings.Fallback.parse(fallback));
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--fallback: " + e.getMessage());
        }
        if (deadlineMillis != null) {
            long nanos = (long) (deadlineMillis * 1e6);
            if (!(deadlineMillis > 0) || nanos >= desc.controlPeriodNanos()) {
                throw new BadInputException("--remote-deadline-ms must be > 0 and below the control period of "
                        + TimeUnit.NANOSECONDS.toMillis(desc.controlPeriodNanos()) + " ms, got " + deadlineMillis);
            }
            settings = settings.withDeadline(nanos);
        }
        ProposalSource local = switch (settings.fallback()) {
            case RECOVERY -> new RecoveryFallback(init.recoveryPolicy(), init.worldModelCost());
            case LOCAL -> new ModelProposalSource(SessionMethod.FARL, init.taskPolicy(seed), init.worldModelCost(),
                    init.recoveryPolicy());
            case HOLD -> null;
        };
        RemoteProposalSource[] source = new RemoteProposalSource[1];
        MqttInferenceClient client = new MqttInferenceClient(link, (id, payload) -> source[0].onReply(id, payload));
        source[0] = new RemoteProposalSource(link.robot(), desc.actionSize(), settings, client::send, local);
        client.start();
        return new Opened(source[0], client, local);
    }
}
