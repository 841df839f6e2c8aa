package io.parley.federation;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.random.RandomGenerator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import io.parley.identity.VerifierKey;
import io.parley.json.Json;
import io.parley.receipt.ReceiptVerifier;
import io.parley.store.LinkStore;
import io.parley.store.OutboxStore;
import io.parley.worker.Backoff;
import io.parley.worker.Worker;

/**
 * Drains the outbox: one {@link Worker} per peer sends that peer's due envelopes in order, in batches, and keeps the
 * line's record. Because each peer has its own thread and its own timeouts, a slow or unreachable peer never holds up
 * delivery to the others. A scanner looks for queued work when the log sequences something (another instance of the
 * node may have queued it) and every {@code scan} in case a wake-up was missed.
 */
public final class DeliveryWorker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryWorker.class);
    /** Refusals that a later attempt can overcome (the peer has not yet seen an earlier envelope or the charter). */
    /**
     * Refusals that may pass: a channel or a chain position the peer lacks yet, and a signature it cannot check yet
     * (our own signature is good, so the peer has not learnt our rotated key; it holds the envelope meanwhile).
     */
    private static final Set<String> RETRYABLE = Set.of("unknown-channel", "chain-gap", "kind-not-accepted", "bad-signature");
    private static final int BATCH = 200;
    /**
     * Bytes of envelopes per POST: half the inbox's 2 MiB body limit, so that a batch of large envelopes (each may be
     * up to 64 KiB) is never refused for its size and retried unchanged forever.
     */
    static final long BATCH_BYTES = 1L << 20;

    private final OutboxStore outbox;
    private final LinkStore links;
    private final PeerClient client;
    private final Function<String, Optional<String>> peerUrl;
    private final Function<String, Optional<VerifierKey>> peerKey;
    private final Backoff backoff;
    private final Clock clock;
    private final RandomGenerator random;
    /** peer → its worker, from the first time something was queued for the peer until close. */
    private final Map<String, Worker> workers = new ConcurrentHashMap<>();
    private final java.util.function.BooleanSupplier onDuty;
    /** The longest a peer's worker waits without a wake-up, and how often the scanner looks for queued work. */
    private final Duration scan;
    /** Envelopes this instance posted (or tried to post) to peers' inboxes, resends included; each instance counts its own. */
    private final io.micrometer.core.instrument.Counter sent;
    private volatile boolean closed;
    private final Worker scanner;

    /**
     * Starts delivering; {@code clock} dates attempts, {@code random} jitters {@code backoff}, and a round sends only
     * while {@code onDuty} holds ({@code Node.runsDuties}): instances sharing a database would otherwise each send
     * every queued envelope.
     */
    public DeliveryWorker(OutboxStore outbox, LinkStore links, PeerClient client, Function<String, Optional<String>> peerUrl,
                          Function<String, Optional<VerifierKey>> peerKey, Backoff backoff, Clock clock, RandomGenerator random,
                          java.util.function.BooleanSupplier onDuty, Duration scan, io.micrometer.core.instrument.Counter sent) {
        this.outbox = outbox;
        this.links = links;
        this.client = client;
        this.peerUrl = peerUrl;
        this.peerKey = peerKey;
        this.backoff = backoff;
        this.clock = clock;
        this.random = random;
        this.onDuty = onDuty;
        this.scan = scan;
        this.sent = sent;
        this.scanner = Worker.named("parley-outbox").every(scan).random(random).log(LOG).start(() -> {
            poke();
            return Worker.IDLE;
        });
    }

    /**
     * Something may have been queued by another instance of this node: the scanner looks soon, on its own thread (the
     * caller is the log's sequencer, which must not wait for the outbox's query).
     */
    public void lookSoon() {
        scanner.wake();
    }

    /** Something was queued (or a peer came back): look now rather than at the next scan. */
    public void poke() {
        for (String peer : outbox.recipientsWithQueued()) workerFor(peer).wake();
    }

    /** Makes every queued delivery to {@code peer} due now: we just heard from it, so the line is up. */
    public void peerIsUp(String peer) {
        outbox.wake(peer, clock.instant());
        Worker w = workers.get(peer);
        if (w != null) w.wake();
    }

    private Worker workerFor(String peer) {
        Worker w = workers.computeIfAbsent(peer, p -> Worker.named("parley-deliver-" + p).every(scan).random(random).log(LOG)
                .start(() -> round(p)));
        if (closed) w.stop(); // made as close() ran: it must not outlive the node
        return w;
    }

    /** Sends the peer's next due batch; when none is due, waits until the oldest queued one is (or a wake-up). */
    private Duration round(String peer) throws InterruptedException {
        if (!onDuty.getAsBoolean()) return scan; // the instance on duty sends; look again in case this one takes over
        List<OutboxStore.Pending> due = outbox.due(peer, clock.instant(), BATCH);
        if (due.isEmpty()) {
            return outbox.nextDue(peer).map(t -> Duration.between(clock.instant(), t)).map(d -> d.isNegative() ? Duration.ofMillis(1) : d)
                    .orElse(Worker.IDLE);
        }
        deliver(peer, fitting(due));
        return Worker.AGAIN;
    }

    /** The longest prefix of {@code due} within {@link #BATCH_BYTES} (at least one envelope, which the acceptor caps at 64 KiB). */
    static List<OutboxStore.Pending> fitting(List<OutboxStore.Pending> due) {
        long bytes = 0;
        int n = 0;
        for (OutboxStore.Pending p : due) {
            bytes += p.canonical().getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 1;
            if (p.companion() != null) bytes += p.companion().getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 1;
            if (n > 0 && bytes > BATCH_BYTES) break;
            n++;
        }
        return due.subList(0, n);
    }

    private void deliver(String peer, List<OutboxStore.Pending> due) throws InterruptedException {
        Instant now = clock.instant();
        Optional<String> url = peerUrl.apply(peer);
        OutboxStore.Pending head = due.get(0);
        if (url.isEmpty()) {
            outbox.retry(head.id(), "no address known for " + peer, now, now.plus(backoff.delay(head.attempts(), random)));
            return;
        }
        List<JsonNode> results;
        sent.increment(due.size());
        try {
            results = client.deliver(url.get(), items(due));
        } catch (PeerClient.RateLimited e) {
            // Busy with us, not down and not refusing: the same envelopes go again once the peer's wait is over.
            outbox.postpone(head.id(), "the peer asked us to wait " + e.retryAfter().toSeconds() + " s (rate limit)", now.plus(e.retryAfter()));
            return;
        } catch (java.io.IOException | RuntimeException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            links.failure(peer, due.size(), why, now);
            // One write per failed attempt: the backoff lives on the oldest row, the rest wait behind it.
            outbox.retry(head.id(), why, now, now.plus(backoff.delay(head.attempts(), random)));
            return;
        }
        links.success(peer, due.size(), clock.instant());
        Optional<VerifierKey> key = peerKey.apply(peer);
        List<OutboxStore.Outcome> outcomes = new java.util.ArrayList<>(due.size());
        int at = 0;
        for (OutboxStore.Pending p : due) {
            JsonNode result = results.get(at++);
            if (p.companion() != null) companionSettled(p, results.get(at++));
            OutboxStore.Outcome outcome = settle(p, result, key, now);
            outcomes.add(outcome);
            // After the first envelope that must be retried, later ones of the batch wait behind it (chain order).
            if (outcome instanceof OutboxStore.Outcome.Retry) break;
        }
        outbox.settle(outcomes); // the batch's marks in one transaction; every Delivered among them has a verified receipt
    }

    /**
     * The batch as sent: each pending item, and after a TLP:RED envelope to a named recipient our signed notice for
     * it (the recipient keeps it with the envelope, for case bundles that must not carry the envelope in full).
     */
    static List<String> items(List<OutboxStore.Pending> due) {
        List<String> out = new java.util.ArrayList<>();
        for (OutboxStore.Pending p : due) {
            out.add(p.canonical());
            if (p.companion() != null) out.add(p.companion());
        }
        return out;
    }

    /**
     * A companion notice needs no receipt (the recipient logged the envelope itself). If it was not taken (e.g. the
     * envelope was refused this time) it travels again with the envelope's retry; once the envelope is delivered, a
     * recipient without the notice refuses to export a case bundle that would need it, naming it.
     */
    private static void companionSettled(OutboxStore.Pending p, JsonNode result) {
        String status = result.path("status").asText();
        if (!status.equals("attached") && !status.equals("duplicate")) {
            LOG.warn("{} did not take our withheld notice for {}: {}", p.recipient(), p.envelopeHash(), result.path("detail").asText(status));
        }
    }

    /**
     * The receipt as we keep it: its log time only if it is the recipient's signed word for this envelope (a receipt
     * from a node that gives none is kept as it is: then our {@code created} time stands for it).
     */
    private static JsonNode withCheckedLogTime(JsonNode receipt, OutboxStore.Pending p, VerifierKey key) {
        if (!receipt.has("logged") || io.parley.receipt.LogTime.in(receipt, p.recipient(), p.envelopeHash(), key).isPresent()) return receipt;
        LOG.warn("{} returned a log time for {} that is not its signed word; keeping the receipt without it", p.recipient(), p.envelopeHash());
        com.fasterxml.jackson.databind.node.ObjectNode kept = receipt.deepCopy();
        kept.remove("logged");
        return kept;
    }

    /** The outcome of one envelope of a batch: delivered only with a receipt that verified under the peer's log key. */
    private OutboxStore.Outcome settle(OutboxStore.Pending p, JsonNode result, Optional<VerifierKey> key, Instant now) {
        String status = result.path("status").asText();
        if (status.equals("accepted") || status.equals("duplicate")) {
            JsonNode receipt = result.get("receipt");
            if (receipt == null || key.isEmpty()) {
                return new OutboxStore.Outcome.Retry(p.id(), receipt == null ? "accepted, receipt pending" : "no key to check the receipt", now,
                        now.plus(Duration.ofMillis(200)));
            }
            try {
                // A member our RED envelope does not name logs only its hash (all it holds), a recipient the envelope.
                if (p.withheld()) {
                    ReceiptVerifier.verifyCommitment(java.util.HexFormat.of().parseHex(p.envelopeHash()), receipt.path("tlog_proof").asText(), key.get(), List.of(), 0);
                } else {
                    ReceiptVerifier.verify(p.canonical().getBytes(StandardCharsets.UTF_8), receipt.path("tlog_proof").asText(), key.get(), List.of(), 0);
                }
                return new OutboxStore.Outcome.Delivered(p.id(), Json.write(withCheckedLogTime(receipt, p, key.get())), clock.instant());
            } catch (ReceiptVerifier.InvalidReceipt e) {
                LOG.warn("{} returned a receipt for {} that does not verify: {}", p.recipient(), p.envelopeHash(), e.getMessage());
                return new OutboxStore.Outcome.Retry(p.id(), e.getMessage(), now, now.plus(backoff.delay(p.attempts(), random)));
            }
        }
        String code = result.path("code").asText("unknown");
        String why = code + ": " + result.path("detail").asText("");
        if (RETRYABLE.contains(code)) return new OutboxStore.Outcome.Retry(p.id(), why, now, now.plus(backoff.delay(p.attempts(), random)));
        LOG.warn("{} refused envelope {}: {}", p.recipient(), p.envelopeHash(), why);
        return new OutboxStore.Outcome.Failed(p.id(), why, now);
    }

    /** Stops the scanner and every peer's worker, all at once, and waits for them. */
    @Override
    public void close() {
        closed = true;
        scanner.stop();
        workers.values().forEach(Worker::stop);
        scanner.close();
        workers.values().forEach(Worker::close);
    }
}
