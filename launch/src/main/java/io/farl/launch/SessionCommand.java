package io.farl.launch;

import io.farl.controller.session.SessionEventLog;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code farl session}: a supervised fine-tuning session, {@code farl run --finetune} with what an operator needs
 * around it: every policy version checkpointed before it acts (a restart resumes with the version that acted last),
 * an event log of pauses, e-stops, take-overs and hand-backs, labels and policy versions
 * ({@code OUT/session-events.jsonl}), a teleoperation device to take the arm with, and the end-of-session report.
 */
@CommandLine.Command(name = "session", mixinStandardHelpOptions = true,
        description = {"A supervised fine-tuning session: farl run --finetune (always on here) in OUT, with every "
                + "policy version checkpointed before it acts, so the same command after a crash resumes with the "
                + "version that acted last; OUT/session-events.jsonl logs what the loop did about the operator (pause, "
                + "e-stop, resume, take over, hand back, labels, marks, each new policy version); OUT/report/ holds "
                + "the end-of-session report.",
                "Operator: --console HOST:PORT (e-stop, pause, resume, take over, hand back, label), a teleoperation "
                        + "device (--teleop mqtt|ros1, the topics of farl record) for taking the arm, and the e-stop "
                        + "input of the robot configuration."})
final class SessionCommand extends RunCommand {

    @Option(names = "--teleop", defaultValue = "none", description = "none (default), mqtt or ros1: the device an "
            + "operator drives the arm with after taking it over (farl record's topics; end-of-episode answers are "
            + "not used here).")
    String teleop;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (!List.of("none", "mqtt", "ros1").contains(teleop)) {
            throw new BadInputException("--teleop " + teleop + " is not available in farl session; use none, mqtt or "
                    + "ros1");
        }
        finetune = true;
        Files.createDirectories(out);
        try (SessionEventLog log = SessionEventLog.open(out)) {
            SessionExtras session = new SessionExtras(this, log, spec.commandLine().getOut(),
                    spec.commandLine().getErr());
            extras = session;
            try {
                return super.call();
            } finally {
                session.close();
            }
        }
    }
}
