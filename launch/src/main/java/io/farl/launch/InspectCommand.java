package io.farl.launch;

import io.farl.pipeline.data.Inspector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code farl inspect DIR}: dataset counts, failure rates, episode lengths and a top-view PNG per task. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {"Summarise the *.farl datasets in DIR (or one file): episodes per task, kind and label, "
                + "failure rate, episode lengths (min/mean/p50/max); one top-view PNG per task.",
                "Torn tails (crash leftovers) and damaged episodes (frames failing their CRCs) are skipped with a "
                        + "warning; files that cannot be read at all (bad header, records breaking the format) exit 2."})
final class InspectCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "DIR", description = "Folder of *.farl files, or one file.")
    Path dir;

    @Option(names = "--out", paramLabel = "PNGDIR",
            description = "Folder for the PNGs (default: DIR, or the file's folder).")
    Path out;

    @Option(names = "--no-plots", description = "Skip the PNGs.")
    boolean noPlots;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the statistics as JSON here.")
    Path json;

    @Option(names = "--max-plot-episodes", defaultValue = "40", paramLabel = "N",
            description = "Paths drawn per task and kind (default: ${DEFAULT-VALUE}).")
    int maxPlotEpisodes;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Path pngDir = null;
        if (!noPlots) {
            pngDir = out != null ? out : (Files.isDirectory(dir) ? dir : dir.toAbsolutePath().getParent());
        }
        new Inspector(maxPlotEpisodes).run(dir, pngDir, json, spec.commandLine().getOut());
        return FarlCli.EXIT_OK;
    }
}
