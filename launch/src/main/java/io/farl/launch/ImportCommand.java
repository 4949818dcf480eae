package io.farl.launch;

import io.farl.controller.dataset.Episode;
import io.farl.interchange.LeRobotImporter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code farl import}: a LeRobotDataset-style layout (farl's export or another tool's) into a dataset file. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Read a LeRobotDataset-style layout (CSV or Parquet tables) into DIR/<task>-imported.farl.",
                "A layout farl exported gives back the episodes of --task as they were recorded. Other layouts: "
                        + "every episode gets --task, source teleop, --kind, mode HUMAN and --label (default: "
                        + "success where next.success is set, else timeout); images and videos are not read.",
                "Bad tables are refused naming file, row and column (exit 2). See docs/DATASETS.md."})
final class ImportCommand implements Callable<Integer> {

    @Option(names = "--from", required = true, paramLabel = "DIR2", description = "Root of the layout (holds meta/).")
    Path from;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder for the dataset file.")
    Path out;

    @Option(names = "--task", required = true, paramLabel = "TASK", description = "Task of the imported episodes; "
            + "of a farl export, only this task's episodes are imported.")
    String task;

    @Option(names = "--kind", defaultValue = "expert", paramLabel = "KIND", description = "expert, failure, recovery "
            + "or online: kind of episodes whose layout does not say (default: ${DEFAULT-VALUE}).")
    String kind;

    @Option(names = "--label", paramLabel = "LABEL", description = "success, failure, recovery or timeout: label of "
            + "episodes whose layout does not say (default: judged from next.success).")
    String label;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        LeRobotImporter.Options options = new LeRobotImporter.Options(task,
                Choices.one("--kind", kind, Episode.Kind.class),
                Optional.ofNullable(label).map(l -> Choices.one("--label", l, Episode.Label.class)));
        LeRobotImporter.Summary s = new LeRobotImporter(options).importLayout(from, out);
        spec.commandLine().getOut().println(String.format(Locale.ROOT, "imported %d episodes (%d frames) of task %s "
                + "from a %s layout (%s tables) into %s; labels: %s", s.episodes(), s.frames(), task,
                s.farlLayout() ? "farl" : "LeRobot", s.format().extension(), s.file(), s.labels()));
        return FarlCli.EXIT_OK;
    }
}
