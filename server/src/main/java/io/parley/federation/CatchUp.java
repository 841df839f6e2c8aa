package io.parley.federation;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import io.parley.charter.Charter;
import io.parley.envelope.Envelope;
import io.parley.envelope.EnvelopeFormatException;
import io.parley.envelope.Verdict;
import io.parley.node.Node;
import io.parley.store.ChainHead;
import io.parley.worker.Worker;

/**
 * Pulls envelopes we are missing (DESIGN §4 catch-up): for each channel and each other member, ask for that member's
 * chain after the newest envelope of it we hold, and judge every envelope exactly as if it had been pushed. Runs at
 * start, periodically, and whenever a pushed envelope reveals a gap. The member itself is asked first; if it is
 * unreachable, any other member may serve its chain, since envelopes authenticate themselves.
 */
public final class CatchUp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CatchUp.class);
    static final int PAGE = 500;

    /** One member's chain in one channel. */
    private record Chain(String channel, String sender) {
        @Override
        public String toString() {
            return "catch-up of " + channel + "/" + sender;
        }
    }

    private final Node node;
    private final PeerClient client;
    private final Function<String, Optional<String>> peerUrl;
    private final Duration interval;
    private final KeyHandOver handOver;
    /** Chains a gap was seen in; drained by the catch-up worker. */
    private final Set<Chain> requested = ConcurrentHashMap.newKeySet();
    /** Sources that answered 429, and until when (by the node's clock) they asked us to wait. */
    private final Map<String, Instant> busyUntil = new ConcurrentHashMap<>();
    /** Chains to pull again once a busy source's wait is over, with when (by the node's clock). */
    private final Map<Chain, Instant> deferred = new ConcurrentHashMap<>();
    /** When the last full round began; owned by the worker thread. */
    private Instant lastFull;
    private final Worker worker;

    /** Starts catching up: a full round now and every {@code interval}, a pull at every gap seen in between. */
    public CatchUp(Node node, PeerClient client, Function<String, Optional<String>> peerUrl, Duration interval, KeyHandOver handOver) {
        this.handOver = handOver;
        this.node = node;
        this.client = client;
        this.peerUrl = peerUrl;
        this.interval = interval;
        // Looks at gaps and at busy sources' waits four times per interval (at least every 50 ms).
        Duration look = interval.dividedBy(4).compareTo(Duration.ofMillis(50)) < 0 ? Duration.ofMillis(50) : interval.dividedBy(4);
        this.worker = Worker.named("parley-catch-up").every(look).random(node.random()).log(LOG).build(this::round);
        worker.start();
    }

    /** A gap in {@code sender}'s chain was seen: catch up on it soon. */
    public void request(String channel, String sender) {
        requested.add(new Chain(channel, sender));
        worker.wake();
    }

    /** One look: a full round if one is due, then every chain a gap or the end of a source's wait asks for. */
    private Duration round() {
        if (lastFull == null || Duration.between(lastFull, node.now()).compareTo(interval) >= 0) {
            lastFull = node.now();
            runAll();
        }
        Instant now = node.now();
        deferred.forEach((chain, at) -> {
            if (!now.isBefore(at) && deferred.remove(chain, at)) requested.add(chain);
        });
        List<Chain> chains = List.copyOf(requested);
        requested.removeAll(chains);
        worker.each(chains, Chain::toString, chain -> pull(chain.channel(), chain.sender())); // one failing never stops the others
        return requested.isEmpty() ? Worker.IDLE : Worker.AGAIN;
    }

    /** One full round over every channel and member; returns how many envelopes were newly accepted. */
    public int runAll() {
        List<Chain> chains = new ArrayList<>();
        for (Charter c : node.channels().all()) {
            // peers serve history only of active channels; a proposal's charter envelopes arrive by push
            if (!node.charters().active(c.channel())) continue;
            for (Charter.Member m : c.members()) {
                if (!m.origin().equals(node.origin())) chains.add(new Chain(c.channel(), m.origin()));
            }
        }
        int[] total = {0};
        worker.each(chains, Chain::toString, chain -> total[0] += pull(chain.channel(), chain.sender())); // the others still run
        return total[0];
    }

    /** Pulls {@code sender}'s chain in {@code channel} from the first member that answers. */
    public int pull(String channel, String sender) {
        List<String> sources = new ArrayList<>();
        sources.add(sender);
        node.channels().charter(channel).ifPresent(c -> c.members().stream().map(Charter.Member::origin)
                .filter(o -> !o.equals(sender) && !o.equals(node.origin())).forEach(sources::add));
        Instant retryAt = null;
        for (String source : sources) {
            Optional<String> url = peerUrl.apply(source);
            if (url.isEmpty()) continue;
            Instant busy = busyUntil.get(source);
            if (busy != null) {
                if (node.now().isBefore(busy)) {
                    retryAt = earlier(retryAt, busy);
                    continue;
                }
                busyUntil.remove(source, busy);
            }
            try {
                return pullFrom(url.get(), source, channel, sender);
            } catch (PeerClient.RateLimited e) {
                // the source is over its limit for us: wait as asked, then pull again (from it or another member)
                Instant until = node.now().plus(e.retryAfter());
                busyUntil.put(source, until);
                retryAt = earlier(retryAt, until);
                LOG.debug("catch-up of {}/{} from {}: asked to wait {} s", channel, sender, source, e.retryAfter().toSeconds());
            } catch (java.io.IOException e) {
                LOG.debug("catch-up of {}/{} from {} failed: {}", channel, sender, source, e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 0;
            }
        }
        if (retryAt != null) deferred.merge(new Chain(channel, sender), retryAt, CatchUp::earlier);
        return 0;
    }

    private static Instant earlier(Instant a, Instant b) {
        return a == null || b.isBefore(a) ? b : a;
    }

    private int pullFrom(String url, String source, String channel, String sender) throws java.io.IOException, InterruptedException {
        int accepted = 0;
        while (true) {
            long after = node.envelopes().head(channel, sender).map(ChainHead::seq).orElse(0L);
            PeerClient.Page page = client.catchUp(url, channel, sender, after, PAGE);
            int progress = 0;
            for (JsonNode json : page.envelopes()) {
                if (io.parley.envelope.WithheldNotice.isNotice(json)) {
                    // A TLP:RED link withheld from us: judged like a pushed notice (signature, chain, equivocation).
                    io.parley.envelope.WithheldNotice n;
                    try {
                        n = io.parley.envelope.WithheldNotice.fromJson(json);
                    } catch (EnvelopeFormatException ex) {
                        LOG.warn("catch-up from {} sent a malformed notice: {}", source, ex.getMessage());
                        return accepted;
                    }
                    var nv = node.acceptor().acceptNotice(n, "catch-up:" + source);
                    if (nv instanceof io.parley.channel.EnvelopeAcceptor.NoticeVerdict.Linked) {
                        accepted++;
                        progress++;
                    } else if (nv instanceof io.parley.channel.EnvelopeAcceptor.NoticeVerdict.Rejected r) {
                        LOG.warn("catch-up from {}: notice {} refused: {}", source, n.seq(), r.reason().detail());
                        return accepted;
                    }
                    continue;
                }
                Envelope e;
                try {
                    e = Envelope.fromJson(json);
                } catch (EnvelopeFormatException ex) {
                    LOG.warn("catch-up from {} sent a malformed envelope: {}", source, ex.getMessage());
                    return accepted;
                }
                handOver.follow(e, "catch-up:" + source); // a key hand-over pulled rather than delivered counts the same
                Verdict v = node.acceptor().accept(e, "catch-up:" + source);
                if (v instanceof Verdict.Accepted) {
                    accepted++;
                    progress++;
                } else if (v instanceof Verdict.Rejected r) {
                    LOG.warn("catch-up from {}: {} refused: {}", source, e.seq(), r.reason().detail());
                    return accepted;
                }
            }
            if (!page.more() || progress == 0) return accepted;
        }
    }

    @Override
    public void close() {
        worker.close();
    }
}
