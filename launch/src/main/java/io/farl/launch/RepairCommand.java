package io.farl.launch;

import io.farl.controller.dataset.DatasetReader;
import io.farl.controller.dataset.DatasetRepair;
import io.farl.pipeline.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code farl repair DIR --out DIR2}: copies a folder of datasets, keeping the intact complete episodes of every
 * {@code *.farl} file ({@link DatasetRepair}), prints a summary per file and writes it as JSON.
 */
@Command(name = "repair", mixinStandardHelpOptions = true,
        description = {"Copy DIR into the new folder DIR2: every *.farl file (at any depth) keeps its intact complete "
                + "episodes, record for record, and leaves damaged episodes and torn tails behind; episodes after a "
                + "damaged one are renumbered so indices stay 0, 1, 2, ...; every other file is copied unchanged. "
                + "DIR is only read.",
                "Prints a summary per file and writes it to DIR2/repair.json (or --json). Exit 1 when a *.farl file "
                        + "could not be read at all (bad file header, records breaking the format): it gets no copy."})
final class RepairCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "DIR", description = "Folder of datasets to repair.")
    Path dir;

    @Option(names = "--out", required = true, paramLabel = "DIR2",
            description = "New or empty folder for the repaired copy, outside DIR.")
    Path out;

    @Option(names = "--json", paramLabel = "FILE", description = "Where to write the summary (default: DIR2/repair.json).")
    Path json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Optional<String> refusal = DatasetRepair.refusal(dir, out);
        if (refusal.isPresent()) {
            throw new BadInputException(refusal.get());
        }
        Path summary = json != null ? json : out.resolve("repair.json");
        checkSummaryPath(summary);
        DatasetRepair.Report report = DatasetRepair.repair(dir, out);
        PrintWriter stdout = spec.commandLine().getOut();
        for (DatasetRepair.FileReport f : report.datasets()) {
            print(stdout, f);
        }
        stdout.println("copied " + report.copied().size() + " other file(s)");
        for (DatasetRepair.NotCopied n : report.notCopied()) {
            stdout.println("not copied: " + n.path() + " (" + n.reason() + ")");
        }
        Json.write(summary, report);
        stdout.println("wrote " + summary);
        stdout.flush();
        return report.allRepaired() ? FarlCli.EXIT_OK : FarlCli.EXIT_RESULT_FAILED;
    }

    /** The summary must not land in DIR (only read) nor on a file the copy brings over. */
    private void checkSummaryPath(Path summary) {
        Path s = summary.toAbsolutePath().normalize();
        Path source = dir.toAbsolutePath().normalize();
        Path target = out.toAbsolutePath().normalize();
        if (s.startsWith(source)) {
            throw new BadInputException("--json " + summary + " lies inside " + dir + ", which repair only reads");
        }
        if (s.startsWith(target) && Files.exists(source.resolve(target.relativize(s)))) {
            throw new BadInputException(dir + " holds " + target.relativize(s) + " (an earlier repair's summary?), "
                    + "which the copy would bring to " + summary + "; pass --json FILE elsewhere");
        }
    }

    private static void print(PrintWriter out, DatasetRepair.FileReport f) {
        if (!f.repaired()) {
            out.println(f.file() + ": NOT REPAIRED, no copy: " + f.error());
            return;
        }
        out.println(f.file() + ": kept " + f.episodesKept() + " episode(s), skipped " + f.episodesSkipped()
                + " damaged, dropped " + f.tornTailBytes() + " torn-tail byte(s); " + f.bytesRead() + " -> "
                + f.bytesWritten() + " bytes");
        for (DatasetReader.Skipped s : f.skipped()) {
            out.println("  skipped " + s.describe() + ": bytes " + s.offset() + " to " + (s.offset() + s.length())
                    + ", " + s.reason());
        }
        if (f.tornTailBytes() > 0) {
            out.println("  torn tail: " + f.tornTailReason());
        }
        for (DatasetRepair.Renumbered r : f.renumbered()) {
            out.println("  episodes " + r.originalFirst() + ".." + (r.originalFirst() + r.count() - 1) + " are now "
                    + r.first() + ".." + (r.first() + r.count() - 1));
        }
    }
}
