package io.parley.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import io.parley.identity.KeyFiles;
import io.parley.identity.KeyNames;
import io.parley.identity.PartyCard;
import io.parley.identity.SigningKey;
import io.parley.tls.Certificates;
import io.parley.tls.Pem;
import io.parley.tls.TlsSettings;

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
        if (!Files.exists(dir)) {
            // Born 0700 (parents as usual), so a new node never exists readable by others, even for a moment.
            if (dir.toAbsolutePath().getParent() != null) Files.createDirectories(dir.toAbsolutePath().getParent());
            if (java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.createDirectory(dir, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(NodeFiles.DIRECTORY));
            } else {
                Files.createDirectory(dir);
            }
        }
        NodeFiles.secure(dir, false); // an existing directory is corrected to 0700, with a warning, before any secret is written into it
        if (Files.exists(dir.resolve(NodeConfig.FILE)) || Files.exists(dir.resolve(NodeConfig.KEY_FILE))) {
            throw new IOException(dir + " already holds a node; refusing to overwrite its key");
        }
        SigningKey key = SigningKey.generate(o.origin());
        KeyFiles.write(dir.resolve(NodeConfig.KEY_FILE), key);
        KeyFiles.write(dir.resolve(NodeConfig.WITNESS_KEY_FILE), SigningKey.generate(o.origin()));
        NodeConfig config = new NodeConfig(o.origin(), o.displayName() == null ? o.origin() : o.displayName(),
                o.organisationKind() == null ? "CERT" : o.organisationKind(), o.country(), "127.0.0.1", o.port(),
                "http://127.0.0.1:" + o.port(), o.db(), null, null, now.truncatedTo(ChronoUnit.SECONDS).toString(), o.contacts(), null, null, null, null, null, null);
        config.save(dir);
        NodeFiles.secure(dir, config.db() == null);
        return config;
    }

    /** Where {@code init --tls-self-signed} and the demo put the node's TLS certificate and key. */
    public static final String TLS_CERT_FILE = "tls.crt";
    public static final String TLS_KEY_FILE = "tls.key";

    /**
     * For trials: a fresh P-256 key (mode 0600) and a self-signed certificate for the node's name, localhost and
     * 127.0.0.1; the node then serves HTTPS only. Clients must be told to trust {@code tls.crt} ({@code --ca}).
     */
    public static NodeConfig addSelfSignedTls(Path dir, NodeConfig config, Instant now) throws IOException {
        KeyPair keys = Certificates.newKeyPair();
        X509Certificate cert = Certificates.selfSigned(config.origin(), Certificates.namesFor(config.origin()), keys, now);
        return addTls(dir, config, cert, keys.getPrivate(), null, false);
    }

    /** Installs a certificate an authority issued for this node; {@code caFile} (relative to dir) is what its clients trust. */
    public static NodeConfig addIssuedTls(Path dir, NodeConfig config, Certificates.Authority authority, String caFile, boolean mutual, Instant now)
            throws IOException {
        KeyPair keys = Certificates.newKeyPair();
        X509Certificate cert = authority.issue(config.origin(), Certificates.namesFor(config.origin()), keys.getPublic(), now);
        return addTls(dir, config, cert, keys.getPrivate(), caFile, mutual);
    }

    private static NodeConfig addTls(Path dir, NodeConfig config, X509Certificate cert, PrivateKey key, String caFile, boolean mutual) throws IOException {
        Pem.writePrivateKey(dir.resolve(TLS_KEY_FILE), key);
        Pem.writeCertificates(dir.resolve(TLS_CERT_FILE), List.of(cert));
        NodeConfig withTls = config.withTls(new TlsSettings(TLS_CERT_FILE, TLS_KEY_FILE, caFile, mutual));
        withTls.save(dir);
        return withTls;
    }
}
