package io.parley.cli;

import java.io.PrintWriter;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code parley} command. */
@Command(name = "parley", mixinStandardHelpOptions = true, version = "parley 0.1.0",
        description = "Parley: a federated, verifiable hotline server for CERTs and governments.",
        subcommands = {InitCommand.class, ServeCommand.class, DemoCommand.class, SendCommand.class, UserCommand.class,
                WhoamiCommand.class, LogCommand.class, AuditCommand.class, ExportCommand.class, VerifyCommand.class, PeerCommand.class, ChannelCommand.class, KeyCommand.class,
                CaseCommand.class, PingCommand.class, ReportCommand.class,
                CommandLine.HelpCommand.class})
public final class ParleyCli implements Runnable {

    /** Exit code for a failure while running (bad file, refused request); picocli uses 2 for usage errors. */
    public static final int FAILED = 1;

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs a command line with the given streams and returns the exit code (used by tests, too). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new ParleyCli());
        cli.setOut(out);
        cli.setErr(err);
        boolean debug = java.util.Arrays.asList(args).contains("--debug");
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

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "a command is required (see 'parley --help': demo, init, serve, peer, channel, case, ping, report, export, verify, log, ...)");
    }
}
