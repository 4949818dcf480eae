package io.farl.launch;

import io.farl.controller.session.SessionEvent;
import io.farl.controller.session.SessionEventLog;
import io.farl.pipeline.learn.ModelBundle;
import io.farl.pipeline.report.SessionReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code farl report --run DIR}: the end-of-session report of a run folder ({@link SessionReport}) from its
 * {@code run.farl} and, when present, its {@code session-events.jsonl}.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Write the report of a fine-tuning run or session: episodes.png (success and IR failures over "
                + "time, policy version, operator events), interventions.png (steps by mode, recovery activations, "
                + "envelope interventions), ch-trace.png (C_H of the newest steps against ε_safe), one self-contained "
                + "report.html and report.json.",
                "Reads DIR/run.farl and DIR/session-events.jsonl when present; DIR is only read."})
final class ReportCommand implements Callable<Integer> {
    static final String DATASET = "run.farl";

    @Option(names = "--run", required = true, paramLabel = "DIR",
            description = "Output folder of farl run --finetune or farl session.")
    Path run;

    @Option(names = "--out", paramLabel = "DIR2", description = "Folder for the report (default: DIR/report).")
    Path out;

    @Option(names = "--epsilon-safe", paramLabel = "X",
            description = "ε_safe for the C_H plot (default: from --models, else unknown and no line drawn).")
    Double epsilonSafe;

    @Option(names = "--models", paramLabel = "DIR",
            description = "Models folder whose calibration.properties gives ε_safe (key epsilonSafe).")
    Path models;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (!Files.isDirectory(run)) {
            throw new BadInputException("--run " + run + " is not a folder");
        }
        Path dataset = run.resolve(DATASET);
        if (!Files.isRegularFile(dataset)) {
            throw new BadInputException("no " + dataset + " (a run folder holds run.farl)");
        }
        double eps = epsilonSafe();
        List<SessionEvent> events = events(run.resolve(SessionEventLog.FILE));
        Path folder = out != null ? out : run.resolve("report");
        SessionReport.Summary s = SessionReport.write(dataset, events, eps, folder);
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.printf(Locale.ROOT, "%d episode(s), %d step(s), %d success(es), %d IR failure(s), %d operator "
                + "event(s); ε_safe %s%n", s.episodes(), s.steps(), s.success().count(), s.irFailure().count(),
                s.events().size(), s.epsilonSafe() == null ? "unknown" : s.epsilonSafe().toString());
        stdout.println("wrote " + folder.resolve("report.html") + " (and " + String.join(", ", s.files()) + ")");
        stdout.flush();
        return FarlCli.EXIT_OK;
    }

    /** The option's value, else the models' calibration, else NaN (unknown). */
    private double epsilonSafe() {
        if (epsilonSafe != null) {
            if (!(epsilonSafe > 0) || epsilonSafe.isInfinite()) {
                throw new BadInputException("--epsilon-safe must be a finite number > 0, got " + epsilonSafe);
            }
            return epsilonSafe;
        }
        if (models == null) {
            return Double.NaN;
        }
        ModelBundle bundle = new ModelBundle(models);
        Properties calibration = bundle.calibration().orElseThrow(() -> new BadInputException("no "
                + bundle.calibrationFile() + " (run farl calibrate first, or pass --epsilon-safe)"));
        return bundle.calibrationValue(calibration, "epsilonSafe");
    }

    private static List<SessionEvent> events(Path file) {
        try {
            return SessionEventLog.read(file);
        } catch (IOException e) {
            throw new BadInputException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
