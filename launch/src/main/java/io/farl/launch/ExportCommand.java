package io.farl.launch;

import io.farl.interchange.LeRobotExporter;
import io.farl.interchange.TableFormat;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code farl export}: recorded datasets as a LeRobotDataset-style layout other tools read. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Write the complete episodes of every *.farl file under DIR as a LeRobotDataset-style layout "
                + "in the new folder DIR2: meta/info.json, meta/episodes.jsonl, meta/tasks.jsonl and "
                + "data/chunk-000/episode_000000.parquet (or .csv), one row per step.",
                "Columns: LeRobot's (observation.state, action = the executed action, next.reward, next.done, "
                        + "timestamp, indices) and farl's (next.success, next.observation.state, farl.*); labels and "
                        + "IR-failure steps in meta/episodes.jsonl. See docs/DATASETS.md."})
final class ExportCommand implements Callable<Integer> {

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "Folder of *.farl files "
            + "(searched recursively), or one file.")
    Path data;

    @Option(names = "--out", required = true, paramLabel = "DIR2", description = "New (or empty) output folder.")
    Path out;

    @Option(names = "--format", defaultValue = "parquet", paramLabel = "FORMAT", description = "parquet or csv "
            + "(default: ${DEFAULT-VALUE}). CSV spells a vector column v of size n as v.0 ... v.(n-1).")
    String format;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        LeRobotExporter.Summary s = new LeRobotExporter(TableFormat.named(format)).export(data, out);
        spec.commandLine().getOut().println(String.format(Locale.ROOT, "exported %d episodes (%d frames) from %d "
                + "files to %s as %s; episodes per task: %s", s.episodes(), s.frames(), s.files(), s.out(),
                s.format().extension(), s.episodesPerTask()));
        return FarlCli.EXIT_OK;
    }
}
