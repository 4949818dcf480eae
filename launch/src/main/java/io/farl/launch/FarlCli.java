package io.farl.launch;

import io.farl.controller.dataset.DatasetFormatException;
import io.farl.interchange.InterchangeInputException;
import io.farl.pipeline.PipelineInputException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code farl} command line. Exit codes: 0 success, 1 the job ran but its result is a failure (e.g. a check
 * did not pass), 2 bad usage or bad input (config, files, arguments), 3 an internal error.
 */
@Command(name = "farl", mixinStandardHelpOptions = true, versionProvider = FarlCli.Version.class,
        description = "Failure-aware offline-to-online RL for manipulation arms.",
        subcommands = {CommandLine.HelpCommand.class, DemoCommand.class, CollectCommand.class, InspectCommand.class,
                BenchCommand.class, TrainCommand.class, CalibrateCommand.class, EvalCommand.class, EvalRecoveryCommand.class, EvalGateCommand.class,
                FinetuneCommand.class, PretrainCommand.class, SimRobotCommand.class, RunCommand.class,
                ServeCommand.class, RollbackCommand.class, RecordCommand.class, RepairCommand.class,
                ExportCommand.class, ImportCommand.class, SessionCommand.class, ReportCommand.class,
                SelectFailuresCommand.class})
public final class FarlCli implements Runnable {

    public static final int EXIT_OK = 0;
    public static final int EXIT_RESULT_FAILED = 1;
    public static final int EXIT_BAD_INPUT = 2;
    public static final int EXIT_INTERNAL = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the CLI and returns its exit code (tests call this instead of {@link #main}). */
    public static int execute(String... args) {
        return execute(null, null, args);
    }

    /** Runs the CLI with its output and error streams sent to {@code out} and {@code err} (null: the console). */
    public static int execute(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new FarlCli());
        if (out != null) {
            cli.setOut(out);
        }
        if (err != null) {
            cli.setErr(err);
        }
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            // a dataset file that cannot be read (or appended to) is the user's input, not a fault of this program
            if (ex instanceof BadInputException || ex instanceof PipelineInputException
                    || ex instanceof DatasetFormatException || ex instanceof InterchangeInputException) {
                commandLine.getErr().println("farl: " + ex.getMessage());
                return EXIT_BAD_INPUT;
            }
            commandLine.getErr().println("farl: internal error: " + ex);
            ex.printStackTrace(commandLine.getErr());
            return EXIT_INTERNAL;
        });
        cli.setExitCodeExceptionMapper(ex -> EXIT_BAD_INPUT);
        return cli.execute(args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command; see farl --help");
    }

    /** Version from the jar manifest when packaged. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = FarlCli.class.getPackage().getImplementationVersion();
            return new String[] {"farl " + (v == null ? "dev" : v)};
        }
    }
}
