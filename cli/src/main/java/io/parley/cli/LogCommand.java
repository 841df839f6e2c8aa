package io.parley.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import io.parley.identity.PartyCard;
import io.parley.identity.VerifierKey;
import io.parley.json.Json;
import io.parley.log.Checkpoint;
import io.parley.log.LogEntry;
import io.parley.log.MerkleProofs;
import io.parley.log.NoteVerifier;
import io.parley.log.SignedNote;
import io.parley.log.TileCoordinates;
import io.parley.log.TileHashReader;
import io.parley.log.Tiles;
import io.parley.receipt.ReceiptVerifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Reads and checks a node's transparency log as any tlog client would: only the public C2SP endpoints
 * ({@code /log/checkpoint}, {@code /log/tile/...}) and the key from the party card (or one given on the command line).
 * Proofs are computed locally from tiles and verified against the signed checkpoint before they are printed. Log
 * entries are commitments ({@link LogEntry}): an entry says which hash was logged, and only whoever holds the item
 * can tell what it was ({@code --envelope} checks that).
 */
@Command(name = "log", mixinStandardHelpOptions = true, description = "Inspect and verify a node's transparency log.",
        subcommands = {LogCommand.CheckpointCmd.class, LogCommand.ProofCmd.class, LogCommand.VerifyReceiptCmd.class})
final class LogCommand implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: checkpoint, proof, verify-receipt");
    }

    /** Where the log is and which key to trust for it. */
    static final class Source {
        @Option(names = "--url", defaultValue = "http://127.0.0.1:8440", description = "Node base URL (default: ${DEFAULT-VALUE}).")
        String url;

        @Option(names = "--key", description = "Trusted log verifier key (name+id+base64). Default: the key in the node's party card.")
        String key;

        @Option(names = "--fingerprint", description = "Refuse unless the node's key has this fingerprint (SHA256:...).")
        String fingerprint;

        @Option(names = "--ca", paramLabel = "FILE", description = "PEM file of certificates to trust for https:// besides the system store.")
        java.nio.file.Path ca;

        private HttpClient http;

        byte[] get(String path) throws IOException, InterruptedException {
            if (http == null) http = ApiOptions.http(ca).build();
            HttpResponse<byte[]> res;
            try {
                // Tiles are 8 KiB; an entry bundle is at most 256 entries of 64 KiB.
                res = io.parley.federation.CappedResponses.send(http, HttpRequest.newBuilder(URI.create(url.replaceAll("/+$", "") + path)).timeout(Duration.ofSeconds(30)).GET().build(),
                        17L * 1024 * 1024, Duration.ofSeconds(60));
            } catch (java.net.ConnectException e) {
                throw new IOException("cannot connect to " + url + " (is the node running?)");
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("bad --url " + url);
            }
            if (res.statusCode() != 200) throw new IOException("GET " + path + " answered HTTP " + res.statusCode());
            return res.body();
        }

        VerifierKey trustedKey() throws IOException, InterruptedException {
            VerifierKey k;
            if (key != null) {
                k = VerifierKey.parse(key.strip());
            } else {
                PartyCard card = PartyCard.fromJson(Json.parse(get("/.well-known/parley")));
                if (!card.verifies()) throw new IOException("the node's party card signature does not verify");
                k = card.verifierKey();
            }
            if (fingerprint != null && !fingerprint.equals(k.fingerprint())) {
                throw new IOException("key fingerprint is " + k.fingerprint() + ", not the expected " + fingerprint);
            }
            return k;
        }

        /** The newest checkpoint, verified under the trusted key. */
        Verified checkpoint() throws Exception {
            VerifierKey k = trustedKey();
            SignedNote note = SignedNote.parse(get("/log/checkpoint"));
            note.verify(List.of(NoteVerifier.ed25519(k)));
            Checkpoint c = Checkpoint.of(note);
            if (!c.origin().equals(k.name())) throw new IOException("checkpoint origin " + c.origin() + " is not " + k.name());
            return new Verified(k, note, c);
        }

        TileHashReader tiles(long size, List<TileCoordinates> needed) throws Exception {
            Map<TileCoordinates, byte[]> fetched = new HashMap<>();
            for (TileCoordinates t : needed) fetched.put(t, get("/log/" + t.path()));
            return new TileHashReader(size, fetched::get);
        }
    }

    record Verified(VerifierKey key, SignedNote note, Checkpoint checkpoint) {}

    /** The canonical bytes of the envelope in {@code file} (bare, or wrapped as {@code {"envelope": ...}}). */
    static byte[] envelopeBytes(Path file) throws IOException {
        var env = Json.parse(Files.readString(file));
        if (env.has("envelope")) env = env.get("envelope");
        return io.parley.envelope.Envelope.fromJson(env).canonicalBytes();
    }

    @Command(name = "checkpoint", mixinStandardHelpOptions = true, description = "Fetch, verify and print the newest checkpoint.")
    static final class CheckpointCmd implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin Source source;

        @Override
        public Integer call() throws Exception {
            Verified v = source.checkpoint();
            var out = spec.commandLine().getOut();
            out.println("origin: " + v.checkpoint().origin());
            out.println("size:   " + v.checkpoint().size());
            out.println("root:   " + Base64.getEncoder().encodeToString(v.checkpoint().rootHash()));
            out.println("signed: " + v.key().encoded() + " (" + v.key().fingerprint() + ") — verified");
            v.note().signatures().stream().filter(s -> !s.name().equals(v.key().name()) || s.keyId() != v.key().keyIdInt())
                    .forEach(s -> out.println("cosigned by: " + s.name() + " (key id " + s.keyIdHex() + ", not checked: pass witness keys to verify-receipt)"));
            return 0;
        }
    }

    @Command(name = "proof", mixinStandardHelpOptions = true, description = "Compute and verify an inclusion or consistency proof from the log's tiles.",
            subcommands = {InclusionCmd.class, ConsistencyCmd.class})
    static final class ProofCmd implements Runnable {
        @Spec CommandSpec spec;

        @Override
        public void run() {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: inclusion, consistency");
        }
    }

    @Command(name = "inclusion", mixinStandardHelpOptions = true, description = "Prove that entry INDEX is in the newest checkpoint.")
    static final class InclusionCmd implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin Source source;

        @Option(names = "--index", required = true, description = "Entry index.")
        long index;

        @Option(names = "--envelope", description = "Envelope JSON file; check that entry INDEX is this envelope's commitment (its SHA-256).")
        Path envelope;

        @Override
        public Integer call() throws Exception {
            Verified v = source.checkpoint();
            long size = v.checkpoint().size();
            if (index < 0 || index >= size) throw new IllegalArgumentException("--index must be 0.." + (size - 1) + " for a log of size " + size);
            List<TileCoordinates> needed = new java.util.ArrayList<>(Tiles.forInclusionProof(index, size));
            TileHashReader reader = source.tiles(size, needed);
            List<byte[]> proof = MerkleProofs.inclusionProof(reader, index, size);
            byte[] leafHash = reader.hash(0, index);
            String item = "";
            if (envelope != null) {
                byte[] canonical = envelopeBytes(envelope);
                if (!java.util.Arrays.equals(LogEntry.leafHash(canonical), leafHash)) {
                    throw new IOException("entry " + index + " is not envelope " + io.parley.identity.Sha256.hex(canonical) + " (its leaf hash differs)");
                }
                item = " (envelope " + io.parley.identity.Sha256.hex(canonical) + ")";
            }
            MerkleProofs.verifyInclusion(leafHash, index, size, proof, v.checkpoint().rootHash());
            var out = spec.commandLine().getOut();
            out.println("entry " + index + item + " is included in checkpoint " + size + " of " + v.checkpoint().origin() + " — verified");
            out.println("leaf hash: " + Base64.getEncoder().encodeToString(leafHash));
            proof.forEach(h -> out.println(Base64.getEncoder().encodeToString(h)));
            return 0;
        }
    }

    @Command(name = "consistency", mixinStandardHelpOptions = true, description = "Prove that the checkpoint of size OLD is a prefix of the newest.")
    static final class ConsistencyCmd implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin Source source;

        @Option(names = "--old", required = true, description = "Older tree size.")
        long old;

        @Option(names = "--old-root", description = "Root hash (base64) you recorded for size OLD; checked if given.")
        String oldRoot;

        @Override
        public Integer call() throws Exception {
            Verified v = source.checkpoint();
            long size = v.checkpoint().size();
            if (old < 0 || old > size) throw new IllegalArgumentException("--old must be 0.." + size);
            List<TileCoordinates> needed = new java.util.ArrayList<>(Tiles.forConsistencyProof(old, size));
            needed.addAll(Tiles.forTreeHash(old));
            TileHashReader reader = source.tiles(size, needed.stream().distinct().toList());
            List<byte[]> proof = MerkleProofs.consistencyProof(reader, old, size);
            byte[] root = oldRoot != null ? decode(oldRoot) : io.parley.log.TreeHash.of(new TileHashReader(old, t -> {
                try {
                    return source.get("/log/" + t.path());
                } catch (Exception e) {
                    throw new IllegalStateException(e.getMessage());
                }
            }), old);
            MerkleProofs.verifyConsistency(old, size, root, v.checkpoint().rootHash(), proof);
            var out = spec.commandLine().getOut();
            out.println("tree " + old + " (root " + Base64.getEncoder().encodeToString(root) + ") is a prefix of checkpoint " + size + " — verified");
            proof.forEach(h -> out.println(Base64.getEncoder().encodeToString(h)));
            return 0;
        }

        private static byte[] decode(String b64) {
            byte[] root = io.parley.identity.CanonicalBase64.decode(b64.strip());
            if (root == null) throw new IllegalArgumentException("--old-root must be canonical base64 (as printed with the checkpoint)");
            return root;
        }
    }

    @Command(name = "verify-receipt", mixinStandardHelpOptions = true,
            description = "Check a delivery receipt offline: the envelope is in a checkpoint signed by the recipient's log key.")
    static final class VerifyReceiptCmd implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Option(names = "--receipt", required = true, description = "Receipt JSON file (as the inbox or /api/v1/envelopes/HASH/receipt returns it).")
        Path receipt;

        @Option(names = "--envelope", required = true, description = "The envelope JSON file.")
        Path envelope;

        @Option(names = "--key", required = true, description = "The recipient's log verifier key.")
        String key;

        @Option(names = "--witness", description = "Witness (cosigner) verifier key; repeatable.")
        List<String> witnesses = new java.util.ArrayList<>();

        @Option(names = "--quorum", defaultValue = "0", description = "How many of the witnesses must have cosigned (default: ${DEFAULT-VALUE}).")
        int quorum;

        @Override
        public Integer call() throws Exception {
            var r = Json.parse(Files.readString(receipt));
            String proof = r.has("receipt") ? r.path("receipt").path("tlog_proof").asText(null) : r.path("tlog_proof").asText(null);
            if (proof == null) throw new IllegalArgumentException(receipt + " has no tlog_proof");
            byte[] canonical = envelopeBytes(envelope);
            List<io.parley.log.CosignatureVerifier> ws = new java.util.ArrayList<>();
            for (String w : witnesses) ws.add(io.parley.log.CosignatureVerifier.parse(w));
            var verified = ReceiptVerifier.verify(canonical, proof, VerifierKey.parse(key.strip()), ws, quorum);
            spec.commandLine().getOut().println("receipt verified: envelope " + io.parley.identity.Sha256.hex(canonical) + " is entry of checkpoint "
                    + verified.checkpoint().size() + " of " + verified.checkpoint().origin() + ", cosigned by " + verified.witnessSignatures().size() + " witness(es)");
            return 0;
        }
    }
}
