package io.parley.cli;

import java.io.PrintWriter;

import io.parley.verifier.Commands;
import io.parley.verifier.VerifyCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code parley} command. */
@Command(name = "parley", mixinStandardHelpOptions = true, version = "parley 0.1.0",
        description = "Parley: a federated, verifiable hotline server for CERTs and governments.",
        subcommands = {InitCommand.class, ServeCommand.class, DemoCommand.class, SendCommand.class, UserCommand.class, TokenCommand.class,
                WhoamiCommand.class, LogCommand.class, AuditCommand.class, ExportCommand.class, VerifyCommand.class, PeerCommand.class, ChannelCommand.class, KeyCommand.class,
                CaseCommand.class, PingCommand.class, ReportCommand.class, EvidenceCommand.class,
                CommandLine.HelpCommand.class})
public final class ParleyCli implements Runnable {

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs a command line with the given streams and returns the exit code (used by tests, too). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return Commands.run(new ParleyCli(), args, out, err);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "a command is required (see 'parley --help': demo, init, serve, peer, channel, case, ping, report, export, verify, log, ...)");
    }
}
