package io.parley.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import io.parley.audit.AuditAction;
import io.parley.audit.AuditQuery;
import io.parley.audit.AuditRecord;
import io.parley.audit.AuditTrail;
import io.parley.audit.AuditVerifier;
import io.parley.identity.KeyFiles;
import io.parley.identity.VerifierKey;
import io.parley.node.Node;
import io.parley.node.NodeConfig;
import io.parley.store.PartyStore;
import io.parley.transparency.LogView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import io.parley.verifier.Commands;

/**
 * Reads and checks the node's audit trail offline, straight from its database (the node may be running or not): no
 * network, nothing written.
 */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "Read and verify the node's audit trail (offline, from its database).",
        subcommands = {AuditCommand.Verify.class, AuditCommand.ListRecords.class})
final class AuditCommand implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: verify or list");
    }


    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Check the hash chain and every head committed to the transparency log; prints one line, exits 1 if the trail is broken.")
    static final class Verify implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Option(names = "--dir", required = true, description = "Node directory.")
        Path dir;

        @Option(names = "--key", description = "A log verifier key (name+id+base64) the node's checkpoints may be signed with, as its peers know it; "
                + "repeat for the key before a rotation. Default: the key in the node directory and the previous one in parley.json.")
        List<String> keys;

        @Override
        public Integer call() throws Exception {
            AuditVerifier.Result r = NodeDatabase.with(dir, (db, cfg) -> {
                List<VerifierKey> logKeys = keys != null && !keys.isEmpty() ? keys.stream().map(VerifierKey::parse).toList()
                        : Node.logKeysOf(KeyFiles.read(dir.resolve(NodeConfig.KEY_FILE)).verifierKey(), cfg);
                return AuditVerifier.verify(new AuditTrail(new io.parley.audit.AuditStore(db), java.time.Clock.systemUTC()), new LogView(db), cfg.origin(), logKeys,
                        Node.witnessesOf(new PartyStore(db), cfg.origin()));
            });
            if (r.ok()) {
                spec.commandLine().getOut().println(r.line());
                return 0;
            }
            spec.commandLine().getErr().println("parley: " + r.line());
            return io.parley.verifier.Commands.FAILED;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List audit records, newest first.")
    static final class ListRecords implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Option(names = "--dir", required = true, description = "Node directory.")
        Path dir;

        @Option(names = "--limit", defaultValue = "50", description = "At most this many records, 1 to 1000 (default: ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--before", defaultValue = "0", description = "Only records before this seq (to page back).")
        long before;

        @Option(names = "--actor", description = "Only records of this actor (a user name, cli or node).")
        String actor;

        @Option(names = "--action", description = "Only records of this action (sign-in, user-changed, charter-signed, export, red-grant, ...).")
        String action;

        @Override
        public Integer call() throws Exception {
            if (limit < 1 || limit > AuditQuery.MAX_LIMIT) throw new IllegalArgumentException("--limit must be 1 to " + AuditQuery.MAX_LIMIT);
            if (before < 0) throw new IllegalArgumentException("--before must be a record seq");
            if (action != null && AuditAction.ofCode(action).isEmpty()) throw new IllegalArgumentException("no audit action '" + action + "'");
            List<AuditRecord> records = NodeDatabase.with(dir, (db, cfg) -> new AuditTrail(new io.parley.audit.AuditStore(db), java.time.Clock.systemUTC())
                    .list(new AuditQuery(0, before, actor, action, limit, true)));
            Table t = new Table("SEQ", "AT", "ACTOR", "ACTION", "TARGET", "FROM", "OK", "DETAIL", "HASH");
            for (AuditRecord r : records) {
                t.row(Long.toString(r.seq()), r.at().toString(), r.actor(), r.action(), r.target(), r.from(), r.ok() ? "yes" : "no",
                        r.detail(), r.hash().substring(0, 12));
            }
            t.print(spec.commandLine().getOut());
            return 0;
        }
    }
}
