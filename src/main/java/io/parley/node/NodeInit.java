package io.parley.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import io.parley.identity.KeyFiles;
import io.parley.identity.KeyNames;
import io.parley.identity.PartyCard;
import io.parley.identity.SigningKey;

/** Creates a new node directory (mode 0700): a fresh Ed25519 log key, {@code parley.json} and, for SQLite, the database file (each 0600). */
public final class NodeInit {
    private NodeInit() {}

    /** What {@code parley init} asks for; everything but the origin has a default. */
    public record Options(String origin, String displayName, String organisationKind, String country, int port,
                          String db, List<PartyCard.Contact> contacts) {}

    public static NodeConfig create(Path dir, Options o, Instant now) throws IOException {
        if (!KeyNames.isValid(o.origin())) {
            throw new IllegalArgumentException("invalid origin '" + o.origin() + "': use a name like cert-a.example, without spaces or '+'");
        }
        Files.createDirectories(dir);
        NodeFiles.secure(dir, false); // 0700 before any secret is written into it
        if (Files.exists(dir.resolve(NodeConfig.FILE)) || Files.exists(dir.resolve(NodeConfig.KEY_FILE))) {
            throw new IOException(dir + " already holds a node; refusing to overwrite its key");
        }
        SigningKey key = SigningKey.generate(o.origin());
        KeyFiles.write(dir.resolve(NodeConfig.KEY_FILE), key);
        KeyFiles.write(dir.resolve(NodeConfig.WITNESS_KEY_FILE), SigningKey.generate(o.origin()));
        NodeConfig config = new NodeConfig(o.origin(), o.displayName() == null ? o.origin() : o.displayName(),
                o.organisationKind() == null ? "CERT" : o.organisationKind(), o.country(), "127.0.0.1", o.port(),
                "http://127.0.0.1:" + o.port(), o.db(), null, null, now.truncatedTo(ChronoUnit.SECONDS).toString(), o.contacts(), null, null);
        config.save(dir);
        NodeFiles.secure(dir, config.db() == null);
        return config;
    }
}
