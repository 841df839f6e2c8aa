package io.parley.cli;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

import io.parley.identity.PartyCard;
import io.parley.node.NodeConfig;
import io.parley.node.NodeInit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "init", mixinStandardHelpOptions = true, description = "Create a new node: Ed25519 log key (mode 0600) and parley.json.")
final class InitCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--dir", required = true, description = "Node directory to create.")
    Path dir;

    @Option(names = "--name", required = true, description = "The party's origin, e.g. cert-a.example (no spaces or '+').")
    String name;

    @Option(names = "--display-name", description = "Human name of the party, e.g. 'CERT-A (national CERT)'.")
    String displayName;

    @Option(names = "--kind", defaultValue = "CERT", description = "Organisation kind: CERT, ministry, law-enforcement, operator... (default: ${DEFAULT-VALUE}).")
    String kind;

    @Option(names = "--country", description = "ISO 3166 country code.")
    String country;

    @Option(names = "--port", defaultValue = "8440", description = "Port to listen on (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--db", description = "JDBC URL of a PostgreSQL database (default: SQLite file in the node directory).")
    String db;

    @Option(names = "--contact", description = "Point of contact: 'role;name;email;phone;hours;lang,lang' (repeatable).")
    List<String> contacts = new ArrayList<>();

    @Option(names = "--tls-self-signed", description = "For trials: make a P-256 TLS key (tls.key, mode 0600) and a self-signed certificate (tls.crt) for the name, localhost and 127.0.0.1; the node then serves HTTPS only.")
    boolean tlsSelfSigned;

    @Override
    public Integer call() throws Exception {
        if (port < 1 || port > 65535) throw new IllegalArgumentException("--port must be 1..65535");
        List<PartyCard.Contact> parsed = new ArrayList<>();
        for (String c : contacts) parsed.add(parseContact(c));
        NodeConfig cfg = NodeInit.create(dir, new NodeInit.Options(name, displayName, kind, country, port, db, parsed), Instant.now());
        if (tlsSelfSigned) cfg = NodeInit.addSelfSignedTls(dir, cfg, Instant.now());
        var key = io.parley.identity.KeyFiles.read(dir.resolve(NodeConfig.KEY_FILE));
        var out = spec.commandLine().getOut();
        out.println("created node " + cfg.origin() + " in " + dir);
        out.println("verifier key: " + key.verifierKey().encoded());
        out.println("fingerprint:  " + key.verifierKey().fingerprint());
        if (tlsSelfSigned) {
            out.println("tls: self-signed certificate " + dir.resolve(NodeInit.TLS_CERT_FILE) + " (clients: --ca " + dir.resolve(NodeInit.TLS_CERT_FILE) + ")");
        }
        out.println("start it with: parley serve --dir " + dir);
        return 0;
    }

    static PartyCard.Contact parseContact(String s) {
        String[] f = s.split(";", -1);
        if (f.length < 2 || f[0].isBlank() || f[1].isBlank()) {
            throw new IllegalArgumentException("--contact must be 'role;name;email;phone;hours;languages' with at least role and name");
        }
        List<String> langs = f.length > 5 && !f[5].isBlank() ? Arrays.asList(f[5].split(",")) : List.of();
        return new PartyCard.Contact(f[0], f[1], part(f, 2), part(f, 3), part(f, 4), langs);
    }

    private static String part(String[] f, int i) {
        return f.length > i && !f[i].isBlank() ? f[i] : null;
    }
}
