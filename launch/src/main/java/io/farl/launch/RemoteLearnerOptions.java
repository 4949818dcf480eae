package io.farl.launch;

import io.farl.controller.fleet.PolicyDownlink;
import io.farl.controller.fleet.RemoteLearning;
import io.farl.controller.fleet.StepSpool;
import io.farl.controller.fleet.StepUplink;
import io.farl.controller.session.ModelProposalSource;
import io.farl.model.api.PolicySnapshot;
import io.farl.pipeline.online.InitModels;
import io.farl.robot.mqtt.MqttLearnClient;
import io.farl.robot.mqtt.MqttLinkConfig;
import io.farl.pipeline.online.OnlineRun;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Option;

/** {@code farl run --finetune}'s choice of where the learner runs, and the remote learner link's settings. */
final class RemoteLearnerOptions {

    @Option(names = "--learner", defaultValue = "local", paramLabel = "local|remote", description = "With --finetune, "
            + "where the learner runs: local (default: a thread of this process) or remote (a farl serve --learn "
            + "reached through --broker: steps go up, checked policy versions come down).")
    String learner;

    @Option(names = "--learner-timeout-ms", defaultValue = "3000", paramLabel = "MS", description = "With --learner "
            + "remote, a step batch unacknowledged this long is spooled to OUT/learning/spool and the learner counted "
            + "unreachable (default ${DEFAULT-VALUE}).")
    long timeoutMillis;

    @Option(names = "--on-learner-lost", defaultValue = "keep", paramLabel = "keep|pretrained", description = "With "
            + "--learner remote, what acts while the learner does not answer: keep (default: the newest valid "
            + "version) or pretrained (the pretrained policy until the learner answers again). Steps are spooled "
            + "either way.")
    String onLost;

    @Option(names = "--rollback-ir-rate", defaultValue = "1", paramLabel = "RATE", description = "With --learner "
            + "remote, roll a new policy version back to the one before when more than RATE of its episodes end in "
            + "an IR failure (judged after --rollback-min-episodes; default ${DEFAULT-VALUE}: never).")
    double rollbackRate;

    @Option(names = "--rollback-min-episodes", defaultValue = "20", paramLabel = "N", description = "Episodes a "
            + "version must have ended before --rollback-ir-rate judges it (default ${DEFAULT-VALUE}).")
    int rollbackMinEpisodes;

    @Option(names = "--learn-batch-steps", defaultValue = "64", paramLabel = "N", description = "With --learner "
            + "remote, steps per batch sent to the learner (default ${DEFAULT-VALUE}; a batch also leaves 500 ms "
            + "after its first step).")
    int batchSteps;

    /** The remote learner in use: the step listener for the recorder and the MQTT client under it. */
    record Opened(RemoteLearning learning, MqttLearnClient client) {
    }

    /**
     * Checks the options before anything loads or connects.
     *
     * @param finetune whether {@code --finetune} was given
     * @return what acts while the learner is lost
     */
    PolicyDownlink.LearnerLost check(boolean finetune) {
        if (remote() && !finetune) {
            throw new BadInputException("--learner remote needs --finetune");
        }
        if (timeoutMillis <= 0 || batchSteps < 1 || rollbackMinEpisodes < 1 || !(rollbackRate >= 0)) {
            throw new BadInputException("--learner-timeout-ms and --learn-batch-steps must be > 0, "
                    + "--rollback-min-episodes >= 1 and --rollback-ir-rate >= 0");
        }
        try {
            return PolicyDownlink.LearnerLost.parse(onLost);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--on-learner-lost " + e.getMessage());
        }
    }

    boolean remote() {
        return switch (learner) {
            case "local" -> false;
            case "remote" -> true;
            default -> throw new BadInputException("--learner must be local or remote, got " + learner);
        };
    }

    /**
     * The remote learning of the robot of {@code link}: uplink with its spool under {@code out/learning/spool}, the
     * downlink that checks each policy and hands it to {@code proposals}; the client started (connecting in the
     * background), the learning itself not yet.
     */
    Opened open(MqttLinkConfig link, InitModels init, ModelProposalSource proposals, Path out, long seed)
            throws IOException {
        PolicyDownlink.LearnerLost lost = check(true);
        StepUplink.Settings settings = StepUplink.Settings.defaults()
                .withAckTimeout(TimeUnit.MILLISECONDS.toNanos(timeoutMillis))
                .withBatch(batchSteps, TimeUnit.MILLISECONDS.toNanos(500));
        PolicySnapshot reference = new PolicySnapshot(0, 0, init.taskWeights(), init.taskConfig());
        PolicyDownlink downlink = new PolicyDownlink(link.robot(), reference, init.taskPolicies(),
                proposals::offerTaskPolicy, OnlineRun.ONLINE_SEED_BASE * (seed + 1),
                new PolicyDownlink.RollbackRule(rollbackRate, rollbackMinEpisodes), lost);
        StepUplink[] uplink = new StepUplink[1];
        MqttLearnClient client = new MqttLearnClient(link, new MqttLearnClient.Listener() {
            @Override
            public void onAck(byte[] payload) {
                uplink[0].onAck(payload);
            }

            @Override
            public void onPolicy(byte[] payload) {
                downlink.onPolicy(payload);
            }

            @Override
            public void onControl(byte[] payload) {
                downlink.onControl(payload);
            }
        });
        uplink[0] = new StepUplink(link.robot(), StepUplink.newRunId(), settings, new StepUplink.Transport() {
            @Override
            public boolean send(byte[] payload) {
                return client.sendSteps(payload);
            }

            @Override
            public boolean up() {
                return client.up();
            }
        }, new StepSpool(out.resolve("learning").resolve("spool")));
        client.start();
        return new Opened(new RemoteLearning(link.robot(), uplink[0], downlink, client::publishStatus), client);
    }
}
