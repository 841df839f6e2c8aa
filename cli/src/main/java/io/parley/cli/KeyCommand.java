package io.parley.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.Callable;

import io.parley.identity.KeyFiles;
import io.parley.identity.PartyCard;
import io.parley.identity.SigningKey;
import io.parley.identity.VerifierKey;
import io.parley.json.Json;
import io.parley.node.NodeConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Offline key management in a node directory. */
@Command(name = "key", mixinStandardHelpOptions = true, description = "Manage a node's log signing key (offline).",
        subcommands = KeyCommand.Rotate.class)
final class KeyCommand implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a subcommand is required: rotate");
    }

    /**
     * Rotates the log key. The steps are ordered so that an interruption at any point can be finished by running the
     * command again: (1) the new key is written to {@code log.key.next}; (2) {@code parley.json} is saved naming the
     * old key and its hand-over signature for the new one; (3) {@code log.key} is renamed to
     * {@code log.key.<old key id>.old}; (4) {@code log.key.next} is renamed to {@code log.key}. A leftover
     * {@code log.key.next} that parley.json does not hand over to was never used and is discarded.
     */
    @Command(name = "rotate", mixinStandardHelpOptions = true,
            description = {"Replace the node's log signing key with a new Ed25519 key, handed over by a signature of the old one.",
                    "OFFLINE: stop the node first (all its instances, if they share a database); start it again afterwards.",
                    "The old private key is kept as log.key.<old key id>.old (mode 0600); parley.json records the previous key and "
                            + "the hand-over signature, which the node publishes in its party card. When the node starts again it sends the "
                            + "new card to every channel it is a member of, and peers follow the hand-over in band; a peer that missed it can "
                            + "run 'parley peer refresh ORIGIN'. If the command is interrupted, run it again: it finishes the same rotation."})
    static final class Rotate implements Callable<Integer> {
        static final String NEXT = NodeConfig.KEY_FILE + ".next";

        @Spec CommandSpec spec;

        @Option(names = "--dir", required = true, paramLabel = "DIR", description = "Node directory (the node must be stopped).")
        Path dir;

        @Override
        public Integer call() throws Exception {
            NodeConfig cfg = NodeConfig.load(dir);
            refuseIfRunning(dir, cfg);
            Path keyFile = dir.resolve(NodeConfig.KEY_FILE);
            Path next = dir.resolve(NEXT);
            PrintWriter out = spec.commandLine().getOut();

            SigningKey old;
            SigningKey fresh;
            NodeConfig rotated;
            boolean resumed = false;
            if (Files.exists(next) && handsOverTo(cfg, KeyFiles.read(next).verifierKey())) {
                // an interrupted rotation: parley.json already names the old key and hands over to log.key.next
                fresh = KeyFiles.read(next);
                VerifierKey previous = VerifierKey.parse(cfg.previousKey());
                Path oldFile = oldFile(previous);
                if (Files.exists(keyFile)) {
                    old = KeyFiles.read(keyFile);
                    if (!old.verifierKey().equals(previous)) {
                        throw new IOException(keyFile + " is neither the previous nor the next key of an interrupted rotation; sort the key files out by hand");
                    }
                } else if (Files.exists(oldFile)) {
                    old = KeyFiles.read(oldFile);
                } else {
                    throw new IOException("an interrupted rotation left " + next + " but neither " + keyFile + " nor " + oldFile);
                }
                rotated = cfg;
                resumed = true;
                out.println("finishing an interrupted key rotation");
            } else {
                if (Files.exists(next)) Files.delete(next); // written by an attempt that never got as far as parley.json: never used
                if (!Files.exists(keyFile)) throw new IOException("no " + NodeConfig.KEY_FILE + " in " + dir);
                old = KeyFiles.read(keyFile);
                if (!old.name().equals(cfg.origin())) throw new IOException("the key in " + keyFile + " is for " + old.name() + ", but the node is " + cfg.origin());
                if (Files.exists(oldFile(old.verifierKey()))) throw new IOException(oldFile(old.verifierKey()) + " exists already; refusing to overwrite a private key");
                fresh = SigningKey.generate(cfg.origin());
                String sig = Base64.getEncoder().encodeToString(old.sign(PartyCard.rotationStatement(cfg.origin(), fresh.verifierKey())));
                rotated = cfg.withRotation(old.verifierKey().encoded(), sig);
                KeyFiles.write(next, fresh);
                sync(next);
                syncDir();
                rotated.save(dir);
                syncDir();
            }
            Path oldFile = oldFile(old.verifierKey());
            if (Files.exists(keyFile)) {
                Files.move(keyFile, oldFile, StandardCopyOption.ATOMIC_MOVE);
                Files.setPosixFilePermissions(oldFile, PosixFilePermissions.fromString("rw-------"));
                syncDir();
            }
            Files.move(next, keyFile, StandardCopyOption.ATOMIC_MOVE);
            syncDir();

            if (!resumed) out.println("rotated the log key of " + cfg.origin());
            out.println("old key:         " + old.verifierKey().encoded());
            out.println("old fingerprint: " + old.verifierKey().fingerprint() + " (private key kept in " + oldFile.getFileName() + ")");
            out.println("new key:         " + fresh.verifierKey().encoded());
            out.println("new fingerprint: " + fresh.verifierKey().fingerprint());
            out.println("next: start the node again (parley serve --dir " + dir + "); it sends its new card to every channel and peers follow it.");
            out.println("a peer that still shows the old fingerprint can run: parley peer refresh " + rotated.origin());
            return 0;
        }

        private Path oldFile(VerifierKey key) {
            return dir.resolve(NodeConfig.KEY_FILE + "." + key.keyIdHex() + ".old");
        }

        /** True if parley.json hands the key over to {@code key} (the state after step 2). */
        private static boolean handsOverTo(NodeConfig cfg, VerifierKey key) {
            if (cfg.previousKey() == null || cfg.rotationSig() == null) return false;
            try {
                byte[] sig = io.parley.identity.CanonicalBase64.decode(cfg.rotationSig());
                return sig != null && VerifierKey.parse(cfg.previousKey()).verify(PartyCard.rotationStatement(cfg.origin(), key), sig);
            } catch (IllegalArgumentException e) {
                return false;
            }
        }

        /** A node answering at its own base URL with its own origin is running: rotating under it would break it. */
        private static void refuseIfRunning(Path dir, NodeConfig cfg) throws InterruptedException {
            String base = cfg.baseUrl() == null ? "" : cfg.baseUrl().replaceAll("/+$", "");
            if (!base.startsWith("http://") && !base.startsWith("https://")) return;
            HttpResponse<byte[]> res;
            try {
                // Trust the node's own certificate: a self-signed node would otherwise fail the handshake and pass for stopped.
                java.util.List<java.security.cert.X509Certificate> own = new java.util.ArrayList<>();
                if (cfg.tls() != null) {
                    own.addAll(io.parley.tls.Pem.certificates(dir.resolve(cfg.tls().cert())));
                    if (cfg.tls().ca() != null) own.addAll(io.parley.tls.Pem.certificates(dir.resolve(cfg.tls().ca())));
                }
                HttpClient http = HttpClient.newBuilder().sslContext(io.parley.tls.NodeTls.clientContext(own)).connectTimeout(Duration.ofSeconds(2)).build();
                res = io.parley.federation.CappedResponses.send(http, HttpRequest.newBuilder(URI.create(base + "/.well-known/parley")).timeout(Duration.ofSeconds(3)).GET().build(),
                        256 * 1024, Duration.ofSeconds(5));
            } catch (IOException | IllegalArgumentException e) {
                return; // nothing answers there
            }
            boolean ours;
            try {
                ours = res.statusCode() == 200 && cfg.origin().equals(Json.parse(res.body()).path("origin").asText());
            } catch (IllegalArgumentException e) {
                ours = false;
            }
            if (ours) throw new IllegalStateException("the node " + cfg.origin() + " is running at " + base + "; stop it before rotating its key");
        }

        private static void sync(Path file) throws IOException {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
        }

        private void syncDir() {
            try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
                ch.force(true);
            } catch (IOException | UnsupportedOperationException e) {
                // not every platform can sync a directory; the renames are atomic all the same
            }
        }
    }
}
