package io.parley.federation;

import java.time.Duration;
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

/**
 * Pulls envelopes we are missing (DESIGN §4 catch-up): for each channel and each other member, ask for that member's
 * chain after the newest envelope of it we hold, and judge every envelope exactly as if it had been pushed. Runs at
 * start, periodically, and whenever a pushed envelope reveals a gap. The member itself is asked first; if it is
 * unreachable, any other member may serve its chain, since envelopes authenticate themselves.
 */
public final class CatchUp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CatchUp.class);
    static final int PAGE = 500;

    private final Node node;
    private final PeerClient client;
    private final Function<String, Optional<String>> peerUrl;
    /** (channel, sender) pairs a gap was seen for; drained by the catch-up thread. */
    private final Set<String> requested = ConcurrentHashMap.newKeySet();
    /** Sources that answered 429, and until when (System.nanoTime) they asked us to wait. */
    private final Map<String, Long> busyUntil = new ConcurrentHashMap<>();
    /** (channel, sender) pairs to pull again once a busy source's wait is over, with when (System.nanoTime). */
    private final Map<String, Long> deferred = new ConcurrentHashMap<>();
    private volatile boolean running = true;
    private final Thread thread;
    private final Duration interval;
    private final Object wake = new Object();

    public CatchUp(Node node, PeerClient client, Function<String, Optional<String>> peerUrl, Duration interval) {
        this.node = node;
        this.client = client;
        this.peerUrl = peerUrl;
        this.interval = interval;
        this.thread = Thread.ofVirtual().name("parley-catch-up").start(this::loop);
    }

    /** A gap in {@code sender}'s chain was seen: catch up on it soon. */
    public void request(String channel, String sender) {
        requested.add(channel + "\n" + sender);
        synchronized (wake) {
            wake.notifyAll();
        }
    }

    private void loop() {
        long lastFull = 0;
        while (running) {
            try {
                if (System.currentTimeMillis() - lastFull >= interval.toMillis()) {
                    runAll();
                    lastFull = System.currentTimeMillis();
                }
                long nowNanos = System.nanoTime();
                deferred.forEach((key, at) -> {
                    if (nowNanos - at >= 0 && deferred.remove(key, at)) requested.add(key);
                });
                for (String key : List.copyOf(requested)) {
                    requested.remove(key);
                    String[] parts = key.split("\n", 2);
                    try {
                        pull(parts[0], parts[1]);
                    } catch (RuntimeException | Error e) {
                        LOG.warn("catch-up of {} failed: {}", key.replace('\n', '/'), e.toString()); // the others still run
                    }
                }
                synchronized (wake) {
                    if (requested.isEmpty()) wake.wait(Math.max(50, interval.toMillis() / 4));
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException | Error e) {
                // Any failure, even an Error: keep the thread, wait a round, try again.
                if (!running) return;
                LOG.warn("catch-up round failed: {}", e.toString());
                try {
                    Thread.sleep(Math.max(50, interval.toMillis() / 4));
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /** One full round over every channel and member; returns how many envelopes were newly accepted. */
    public int runAll() {
        int total = 0;
        for (Charter c : node.channels().all()) {
            // peers serve history only of active channels; a proposal's charter envelopes arrive by push
            if (!node.charters().active(c.channel())) continue;
            for (Charter.Member m : c.members()) {
                if (m.origin().equals(node.origin())) continue;
                try {
                    total += pull(c.channel(), m.origin());
                } catch (RuntimeException | Error e) {
                    if (!running) return total; // shutting down: the database may already be closed under us
                    LOG.warn("catch-up of {}/{} failed: {}", c.channel(), m.origin(), e.toString()); // the others still run
                }
            }
        }
        return total;
    }

    /** Pulls {@code sender}'s chain in {@code channel} from the first member that answers. */
    public int pull(String channel, String sender) {
        List<String> sources = new ArrayList<>();
        sources.add(sender);
        node.channels().charter(channel).ifPresent(c -> c.members().stream().map(Charter.Member::origin)
                .filter(o -> !o.equals(sender) && !o.equals(node.origin())).forEach(sources::add));
        Long retryAt = null;
        for (String source : sources) {
            Optional<String> url = peerUrl.apply(source);
            if (url.isEmpty()) continue;
            Long busy = busyUntil.get(source);
            if (busy != null) {
                if (System.nanoTime() - busy < 0) {
                    retryAt = retryAt == null || busy - retryAt < 0 ? busy : retryAt;
                    continue;
                }
                busyUntil.remove(source, busy);
            }
            try {
                return pullFrom(url.get(), source, channel, sender);
            } catch (PeerClient.RateLimited e) {
                // the source is over its limit for us: wait as asked, then pull again (from it or another member)
                long until = System.nanoTime() + e.retryAfter().toNanos();
                busyUntil.put(source, until);
                retryAt = retryAt == null || until - retryAt < 0 ? until : retryAt;
                LOG.debug("catch-up of {}/{} from {}: asked to wait {} s", channel, sender, source, e.retryAfter().toSeconds());
            } catch (java.io.IOException e) {
                LOG.debug("catch-up of {}/{} from {} failed: {}", channel, sender, source, e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 0;
            }
        }
        if (retryAt != null) deferred.merge(channel + "\n" + sender, retryAt, (a, b) -> b - a < 0 ? b : a);
        return 0;
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
        running = false;
        thread.interrupt();
    }
}
