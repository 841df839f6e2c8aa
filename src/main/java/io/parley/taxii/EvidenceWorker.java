package io.parley.taxii;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.parley.federation.PeerRequestAuth;
import io.parley.json.Json;
import io.parley.node.Node;

/**
 * Keeps the evidence index in step with the envelopes table and fetches bundles that received envelopes name by hash.
 *
 * <p>One virtual thread reads envelopes in local-id order after a durable cursor, so every stored envelope is indexed
 * once it is committed, including those stored while this node was down or before the listener was registered; the
 * {@link Node#onAccepted} listener only wakes it. Indexing is idempotent (every insert is ON CONFLICT DO NOTHING), so a
 * crash between indexing and moving the cursor repeats work harmlessly. A bundle named by hash in another party's
 * envelope is fetched from that party ({@code GET /federation/v1/evidence/{sha256}?envelope=…}, signed with this
 * node's log key) with exponential backoff; the sender returns what this node may see.
 */
public final class EvidenceWorker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EvidenceWorker.class);
    private static final int BATCH = 200;
    private static final int MAX_ATTEMPTS = 12;
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(10);

    private final Node node;
    private final EvidenceService evidence;
    private final Semaphore wake = new Semaphore(0);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private volatile boolean closed;
    private Thread thread;

    public EvidenceWorker(Node node, EvidenceService evidence) {
        this.node = node;
        this.evidence = evidence;
    }

    public synchronized void start() {
        if (thread != null) return;
        thread = Thread.ofVirtual().name("evidence-worker-" + node.origin()).start(this::run);
    }

    /** Asks the worker to look for new envelopes and due fetches now. */
    public void wake() {
        wake.release();
    }

    private void run() {
        while (!closed) {
            try {
                boolean more = indexBatch();
                fetchDue();
                if (more) continue;
            } catch (RuntimeException e) {
                if (closed) return;
                LOG.warn("evidence worker: {}", e.toString());
            }
            try {
                wake.tryAcquire(1, TimeUnit.SECONDS);
                wake.drainPermits();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Indexes the next batch of envelopes; true when there may be more. */
    boolean indexBatch() {
        EvidenceService.Batch b = evidence.indexEnvelopes(BATCH, () -> closed);
        if (b.pendingFetches() > 0) wake.release();
        return b.more();
    }

    /** Fetches pending bundles whose attempt is due. */
    void fetchDue() {
        long now = node.now().toEpochMilli();
        for (EvidenceStore.Link link : evidence.store().due(now, 20)) {
            if (closed) return;
            fetch(link);
        }
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
            HttpResponse<byte[]> res = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (res.statusCode() == 200) {
                evidence.completeFetch(link, Json.parse(res.body()));
            } else if (res.statusCode() == 404 && problemType(res.body()).endsWith("/" + EvidenceService.WITHHELD)) {
                evidence.store().settle(link.envelopeHash(), link.refSha256(), EvidenceStore.FAILED, null,
                        "withheld: " + link.sender() + " has nothing in it that this node may see");
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
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    private void retry(EvidenceStore.Link link, String detail) {
        if (link.attempts() + 1 >= MAX_ATTEMPTS) {
            evidence.store().settle(link.envelopeHash(), link.refSha256(), EvidenceStore.FAILED, null, detail);
            return;
        }
        long delay = Math.min(MAX_BACKOFF.toMillis(), 500L << Math.min(20, link.attempts()));
        evidence.store().retryLater(link.envelopeHash(), link.refSha256(), node.now().toEpochMilli() + delay, detail);
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
        closed = true;
        wake.release();
        Thread t = thread;
        if (t != null) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
