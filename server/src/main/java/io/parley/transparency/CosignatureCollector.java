package io.parley.transparency;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.parley.log.AddCheckpointRequest;
import io.parley.log.CosignatureVerifier;
import io.parley.log.FormatException;
import io.parley.log.NoteSignature;
import io.parley.log.SignedNote;
import io.parley.worker.Worker;

/**
 * Asks each peer, acting as a C2SP tlog-witness, to cosign our newest checkpoint, and stores the cosignatures that
 * verify under the peer's published witness key. Runs after every new checkpoint (debounced to one round per
 * {@code interval}) and periodically, so a peer that was away catches up and a split view shows within one round.
 */
public final class CosignatureCollector implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CosignatureCollector.class);

    /** A peer's witness endpoint and the key its cosignatures must verify under. */
    public record Peer(String origin, String baseUrl, CosignatureVerifier witnessKey) {}

    private final TransparencyLog log;
    private final Supplier<List<Peer>> peers;
    private final Clock clock;
    private final HttpClient http;
    /** peer origin → the size we believe it last cosigned (0 until it tells us); touched by the collector thread only. */
    private final Map<String, Long> peerSize = new ConcurrentHashMap<>();
    /** peer origin → newest of our sizes it has cosigned. */
    private final Map<String, Long> cosignedUpTo = new ConcurrentHashMap<>();
    private final Worker worker;

    /**
     * Starts collecting every {@code interval}; {@code http} comes from {@code Node.peerHttp}, so witness requests
     * present our TLS client certificate, and {@code random} jitters the retries of a failing round. A round runs only
     * while {@code onDuty} holds ({@code Node.runsDuties}).
     */
    public CosignatureCollector(TransparencyLog log, Supplier<List<Peer>> peers, Clock clock, RandomGenerator random, Duration interval,
                                HttpClient http, java.util.function.BooleanSupplier onDuty) {
        this.http = http;
        this.log = log;
        this.peers = peers;
        this.clock = clock;
        this.worker = Worker.named("parley-cosigner").every(interval).random(random).log(LOG).build(() -> {
            if (onDuty.getAsBoolean()) round(); // one instance asks the witnesses; the others would repeat it
            return Worker.IDLE;
        });
        worker.start();
    }

    /** One round: every peer that has not cosigned our newest checkpoint is asked to. */
    public void round() {
        var latest = log.latest();
        if (latest.isEmpty()) return;
        StoredCheckpoint cp = latest.get();
        List<Peer> behind = peers.get().stream().filter(p -> cosignedUpTo.getOrDefault(p.origin(), -1L) < cp.size()).toList();
        worker.each(behind, p -> "witness " + p.origin(), p -> submit(p, cp, true)); // one peer never stops the round
    }

    private void submit(Peer peer, StoredCheckpoint cp, boolean retryOnConflict) throws Exception {
        long old = Math.min(peerSize.getOrDefault(peer.origin(), 0L), cp.size());
        List<byte[]> proof = old == 0 ? List.of() : log.consistencyProof(old, cp.size());
        String body = new AddCheckpointRequest(old, proof, cp.signedNote()).encode();
        HttpRequest req = HttpRequest.newBuilder(URI.create(peer.baseUrl() + "/log/witness/add-checkpoint"))
                .timeout(Duration.ofSeconds(5)).header("Content-Type", "text/plain; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        // A cosignature line or a size: a few hundred bytes; a witness answering more is cut off.
        HttpResponse<byte[]> bytes = io.parley.federation.CappedResponses.send(http, req, 64 * 1024, Duration.ofSeconds(10));
        String text = io.parley.federation.CappedResponses.text(bytes);
        switch (bytes.statusCode()) {
            case 200 -> store(peer, cp, text);
            case 409 -> {
                long theirs = Long.parseLong(text.trim());
                peerSize.put(peer.origin(), theirs);
                if (theirs > cp.size()) {
                    LOG.error("witness {} holds size {} of our log, beyond our newest checkpoint {}: someone signed a fork with our key",
                            peer.origin(), theirs, cp.size());
                } else if (retryOnConflict) {
                    submit(peer, cp, false);
                }
            }
            // over the witness's rate limit: not a refusal; the next round submits again
            case 429 -> LOG.debug("witness {} asked us to wait (rate limit); next round submits checkpoint {} again", peer.origin(), cp.size());
            default -> LOG.warn("witness {} refused checkpoint {}: HTTP {} {}", peer.origin(), cp.size(), bytes.statusCode(), text.trim());
        }
    }

    private void store(Peer peer, StoredCheckpoint cp, String lines) throws FormatException {
        SignedNote cosigned = cp.signedNote().withSignatures(SignedNote.parseSignatureLines(lines));
        List<NoteSignature> valid;
        try {
            valid = cosigned.verifyKnown(List.of(peer.witnessKey()));
        } catch (io.parley.log.NoteException e) {
            LOG.warn("witness {} returned a cosignature that does not verify", peer.origin());
            return;
        }
        for (NoteSignature s : valid) log.store().saveCosignature(cp.size(), peer.origin(), s.line(), clock.instant());
        peerSize.put(peer.origin(), cp.size());
        if (!valid.isEmpty()) cosignedUpTo.put(peer.origin(), cp.size());
    }

    @Override
    public void close() {
        worker.close();
    }
}
