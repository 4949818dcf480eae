package io.farl.launch;

import io.farl.controller.fleet.LearnCodec;
import io.farl.robot.mqtt.MqttLearnServerLink;
import io.farl.robot.mqtt.MqttLinkConfig;
import io.farl.robot.mqtt.MqttTopics;
import java.io.PrintWriter;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code farl rollback}: tells robots fine-tuning with a remote learner to act with the policy version before their
 * current one again, and to refuse the current one from then on ({@code LearnControl ROLLBACK}, QoS 1).
 */
@CommandLine.Command(name = "rollback", mixinStandardHelpOptions = true,
        description = {"Roll robots that fine-tune with a remote learner (farl run --finetune --learner remote) back to "
                + "the policy version before the one they act with; the rolled-back version is refused from then on. "
                + "Each robot reports the rollback in its learn/status and run.json."})
final class RollbackCommand implements Callable<Integer> {

    @CommandLine.Mixin
    BrokerOptions broker = new BrokerOptions();

    @Option(names = "--robots", split = ",", required = true, paramLabel = "ID", description = "Robot ids.")
    List<String> robots;

    @Option(names = "--reason", defaultValue = "operator", description = "Why (logged by each robot; default "
            + "${DEFAULT-VALUE}).")
    String reason;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        for (String r : robots) {
            try {
                new MqttTopics(r);
            } catch (IllegalArgumentException e) {
                throw new BadInputException("--robots: " + e.getMessage());
            }
        }
        MqttLinkConfig link = broker.link("rollback", LinkSettings.NONE.mqtt());
        PrintWriter out = spec.commandLine().getOut();
        try (MqttLearnServerLink mqtt = new MqttLearnServerLink(link, Set.copyOf(robots), (robot, payload) -> { })) {
            mqtt.start();
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!mqtt.up() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            if (!mqtt.up()) {
                throw new BadInputException("cannot reach the broker " + link.serverUri() + ": " + mqtt.lastError());
            }
            for (String r : robots) {
                if (!mqtt.control(r, LearnCodec.rollback(r, reason))) {
                    throw new BadInputException("rollback to " + r + " not sent: " + mqtt.lastError());
                }
                out.println("rollback sent to " + r);
            }
            // QoS 1: give the broker time to take the messages before the connection closes
            Thread.sleep(500);
        }
        out.flush();
        return FarlCli.EXIT_OK;
    }
}
