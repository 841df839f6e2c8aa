package io.parley.taxii;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import io.parley.federation.PeerRequestAuth;
import io.parley.identity.Sha256;
import io.parley.identity.VerifierKey;
import io.parley.json.Jcs;
import io.parley.json.Json;
import io.parley.node.Node;
import io.parley.worker.Backoff;
import io.parley.worker.Worker;

/**
 * Keeps the evidence index in step with the envelopes table and fetches bundles that received envelopes name by hash.
 *
 * <p>One virtual thread reads envelopes in local-id order after a durable cursor, so every stored envelope is indexed
 * once it is committed, including those stored while this node was down or before the listener was registered; the
 * {@link Node#onAccepted} listener only wakes it. Indexing is idempotent (every insert is ON CONFLICT DO NOTHING), so a
 * crash between indexing and moving the cursor repeats work harmlessly. A bundle named by hash in another party's
 * envelope is fetched from that party ({@code GET /federation/v1/evidence/{sha256}?envelope=…}, signed with this
 * node's log key) with exponential backoff; the sender returns the whole bundle or nothing, with its signed statement
 * of what it served ({@link ServedEvidence}). A signed answer that is not the bundle named is proof against the
 * sender, kept in {@code evidence_mismatches}; no error in one envelope or one fetch ever stops the worker.
 */
public final class EvidenceWorker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EvidenceWorker.class);
    private static final int BATCH = 200;
    private static final int MAX_ATTEMPTS = 12;
    /** Waits between fetch attempts of one bundle: from half a second, doubling, to ten minutes. */
    private static final Backoff FETCH_BACKOFF = new Backoff(Duration.ofMillis(500), Duration.ofMinutes(10));

    private final Node node;
    private final Evidence evidence;
    private final HttpClient http;
    private final Worker worker;

    public EvidenceWorker(Node node, Evidence evidence) {
        this.node = node;
        this.evidence = evidence;
        this.http = node.peerHttp(Duration.ofSeconds(5)).build();
        this.worker = Worker.named("evidence-worker-" + node.origin()).every(Duration.ofSeconds(1)).random(node.random()).log(LOG)
                .build(() -> {
                    boolean more = indexBatch();
                    fetchDue();
                    return more ? Worker.AGAIN : Worker.IDLE;
                });
    }

    /** Starts the worker (when the server has started; the first round indexes whatever is waiting). */
    public void start() {
        worker.start();
    }

    /** Asks the worker to look for new envelopes and due fetches now. */
    public void wake() {
        worker.wake();
    }

    /** Indexes the next batch of envelopes; true when there may be more. */
    boolean indexBatch() {
        EvidenceIngest.Batch b = evidence.ingest().indexEnvelopes(BATCH, worker::stopping);
        if (b.pendingFetches() > 0) worker.wake();
        return b.more();
    }

    /** Fetches pending bundles whose attempt is due; one that cannot be handled, whatever the error, is settled as failed. */
    void fetchDue() {
        if (!node.runsDuties()) return; // the instance that runs the node's duties fetches, once
        long now = node.now().toEpochMilli();
        worker.each(evidence.store().due(now, 20), link -> "evidence fetch of " + link.refSha256() + " for " + link.envelopeHash(), this::fetch,
                (link, e) -> evidence.store().settle(link.envelopeHash(), link.refSha256(), EvidenceStore.FAILED, null, "could not be handled: " + e));
    }

    private void fetch(EvidenceStore.Link link) {
        Optional<String> base = node.peers().stream().filter(p -> p.origin().equals(link.sender())).map(Node.Peer::baseUrl).findFirst();
        if (base.isEmpty()) {
            retry(link, "no address known for " + link.sender());
            return;
        }
        String path = "/federation/v1/evidence/" + link.refSha256() + "?envelope=" + URLEncoder.encode(link.envelopeHash(), StandardCharsets.UTF_8);
        try {
            URI target = URI.create(trimSlash(base.get()) + path);
            HttpRequest.Builder b = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(30)).GET()
                    .header("Accept", "application/json");
            PeerRequestAuth.sign(b, "GET", target, new byte[0], node.key(), node.now());
            // A bundle is at most 10 MiB canonical; its served form may carry some whitespace more.
            HttpResponse<byte[]> res = io.parley.federation.CappedResponses.send(http, b.build(), 2 * EvidenceIngest.MAX_BUNDLE_BYTES, Duration.ofSeconds(60));
            if (res.statusCode() == 200) {
                received(link, res);
            } else if (res.statusCode() == 429) {
                // over the sender's rate limit for us: not a failed attempt, fetch again when it says
                var wait = io.parley.federation.PeerClient.RateLimited.parse(res.headers().firstValue("Retry-After").orElse(null), node.now());
                evidence.store().postpone(link.envelopeHash(), link.refSha256(), node.now().plus(wait).toEpochMilli(),
                        link.sender() + " asked us to wait " + wait.toSeconds() + " s (rate limit)");
            } else if (res.statusCode() == 404 && problemType(res.body()).endsWith("/" + EvidenceAccess.WITHHELD)) {
                evidence.store().settle(link.envelopeHash(), link.refSha256(), EvidenceStore.FAILED, null,
                        "withheld: " + link.sender() + " may not give this node all of it, so it gives none");
            } else if (res.statusCode() == 403 || res.statusCode() == 404) {
                if (link.attempts() + 1 >= MAX_ATTEMPTS / 2) {
                    evidence.store().settle(link.envelopeHash(), link.refSha256(), EvidenceStore.FAILED, null,
                            link.sender() + " answered " + res.statusCode() + ": " + firstLine(new String(res.body(), StandardCharsets.UTF_8)));
                } else {
                    retry(link, link.sender() + " answered " + res.statusCode());
                }
            } else {
                retry(link, link.sender() + " answered " + res.statusCode());
            }
        } catch (IOException | IllegalArgumentException e) {
            retry(link, "fetch from " + link.sender() + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // only a stopping worker is interrupted
        }
    }

    /**
     * A 200 answer: only the sender's signed statement makes it count. The exact bundle named is stored and indexed;
     * anything else the sender signed for is kept as proof against it and the sender is flagged, like an equivocation.
     */
    private void received(EvidenceStore.Link link, HttpResponse<byte[]> res) {
        byte[] body = res.body();
        ServedEvidence statement = new ServedEvidence(link.sender(), node.origin(), link.envelopeHash(), link.refSha256(), Sha256.hex(body),
                res.headers().firstValue(ServedEvidence.AT).orElse(""));
        Optional<VerifierKey> key = node.trustedLogKey(link.sender());
        String signature = res.headers().firstValue(ServedEvidence.SIGNATURE).orElse(null);
        if (key.isEmpty() || statement.at().isEmpty() || !statement.verifies(key.get(), signature)) {
            retry(link, link.sender() + " answered without a valid signed statement of what it served; not trusted");
            return;
        }
        JsonNode bundle = null;
        String bundleSha = null;
        try {
            bundle = Json.parse(body);
            bundleSha = Sha256.hex(Jcs.canonicalize(bundle));
        } catch (RuntimeException notJson) {
            // bytes that are not JSON cannot be the bundle named either: kept as proof like any other mismatch
        }
        if (link.refSha256().equals(bundleSha)) {
            evidence.ingest().completeFetch(link, bundle);
            return;
        }
        String envelope = node.envelopes().byHash(link.envelopeHash())
                .map(s -> new String(s.envelope().canonicalBytes(), StandardCharsets.UTF_8)).orElse("");
        Instant now = node.now();
        evidence.store().putMismatch(new EvidenceStore.Mismatch(0, link.envelopeHash(), link.refSha256(), link.sender(), envelope, body,
                statement.bodySha256(), bundleSha, statement.text(), signature, statement.at(), now));
        node.parties().flag(link.sender(), "served evidence for " + link.refSha256() + " (envelope " + link.envelopeHash()
                + ") that hashes to " + (bundleSha != null ? bundleSha : "no JSON") + ": showed this node something other than what it signed", now);
        evidence.store().settle(link.envelopeHash(), link.refSha256(), EvidenceStore.FAILED, null, "mismatch: " + link.sender()
                + " signed that it served bytes that are not the bundle its envelope names; kept as proof (GET /api/v1/evidence-mismatches)");
        LOG.warn("evidence mismatch: {} served {} for {} named in {}", link.sender(), bundleSha, link.refSha256(), link.envelopeHash());
    }

    private void retry(EvidenceStore.Link link, String detail) {
        if (link.attempts() + 1 >= MAX_ATTEMPTS) {
            evidence.store().settle(link.envelopeHash(), link.refSha256(), EvidenceStore.FAILED, null, detail);
            return;
        }
        Duration delay = FETCH_BACKOFF.delay(link.attempts(), node.random());
        evidence.store().retryLater(link.envelopeHash(), link.refSha256(), node.now().plus(delay).toEpochMilli(), detail);
    }

    private static String problemType(byte[] body) {
        try {
            return Json.parse(body).path("type").asText("");
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    private static String trimSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        String t = nl < 0 ? s : s.substring(0, nl);
        return t.length() > 300 ? t.substring(0, 300) : t;
    }

    @Override
    public void close() {
        worker.close();
    }
}
