package io.parley.verifier;

import java.io.PrintWriter;
import java.util.Arrays;

import picocli.CommandLine;

/**
 * How every Parley command line runs, in the {@code parley} CLI and in the standalone verifier alike: a usage error
 * prints one line and exits 2, any failure while running prints one line ({@link CliErrors}) and exits
 * {@link #FAILED}, and a stack trace appears only with {@code --debug}.
 */
public final class Commands {

    /** Exit code for a failure while running (bad file, refused request); picocli uses 2 for usage errors. */
    public static final int FAILED = 1;

    private Commands() {}

    /** Runs {@code command} (a picocli command object) on {@code args} with these streams; returns the exit code. */
    public static int run(Object command, String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(command);
        cli.setOut(out);
        cli.setErr(err);
        boolean debug = Arrays.asList(args).contains("--debug");
        cli.setParameterExceptionHandler((ex, a) -> {
            err.println("parley: " + ex.getMessage() + " (see '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            return CommandLine.ExitCode.USAGE;
        });
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            err.println("parley: " + CliErrors.oneLine(ex));
            if (debug) ex.printStackTrace(err);
            return FAILED;
        });
        return cli.execute(args);
    }
}
