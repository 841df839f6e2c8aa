package io.parley.federation;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import io.parley.channel.EnvelopeAcceptor;
import io.parley.charter.Charter;
import io.parley.envelope.Envelope;
import io.parley.envelope.EnvelopeFormatException;
import io.parley.envelope.Verdict;
import io.parley.envelope.WithheldNotice;
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
    /** Fetches the next page of a pull while the puller judges the one before; at most one fetch per pull at a time. */
    private final ExecutorService fetcher = Executors.newVirtualThreadPerTaskExecutor();
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

    /**
     * Pulls pages from one source until the chain ends, a page is refused or the source fails. Pipelined: while a page
     * is judged (and committed), the next one is fetched, one page ahead and never more, so at most two pages of a
     * source are held at a time. Each page starts after the last link of the one before; a page is judged only once
     * read whole, and everything it made us store is committed, so a pull interrupted anywhere (the source gone, an
     * exception, a crash) leaves a prefix of the chain, and the next pull asks after our committed head.
     */
    private int pullFrom(String url, String source, String channel, String sender) throws java.io.IOException, InterruptedException {
        String remote = "catch-up:" + source;
        long after = node.envelopes().head(channel, sender).map(ChainHead::seq).orElse(0L);
        Future<Chunk> next = fetch(url, source, channel, sender, after);
        int accepted = 0;
        try {
            while (true) {
                Chunk page = await(next);
                next = null;
                if (page.links().isEmpty() || worker.stopping()) return accepted; // closing: the next pull resumes here
                after = page.links().getLast().seq();
                if (page.more() && page.whole()) next = fetch(url, source, channel, sender, after);
                Judged judged = judge(page.links(), remote, source);
                accepted += judged.accepted();
                if (!judged.all() || !page.whole()) return accepted;
                if (next == null) return accepted;
            }
        } finally {
            if (next != null) next.cancel(true);
        }
    }

    /** One link of a page as read: an envelope, or a withheld notice in its place. */
    private sealed interface Link permits EnvelopeLink, NoticeLink {
        long seq();
    }

    private record EnvelopeLink(Envelope envelope) implements Link {
        public long seq() {
            return envelope.seq();
        }
    }

    private record NoticeLink(WithheldNotice notice) implements Link {
        public long seq() {
            return notice.seq();
        }
    }

    /**
     * A page as read: its links from the first after the seq asked for, as far as they continue the requested chain
     * one seq at a time; {@code whole} is false when something after them (a malformed item, another chain, a skipped
     * seq) was left out, which ends the pull after them.
     */
    private record Chunk(List<Link> links, boolean more, boolean whole) {}

    /** Fetches and reads the page after {@code after} on the fetcher, beside whatever the caller is judging. */
    private Future<Chunk> fetch(String url, String source, String channel, String sender, long after) {
        return fetcher.submit(() -> read(client.catchUp(url, channel, sender, after, PeerClient.Page.MAX_ITEMS), source, channel, sender, after));
    }

    private static Chunk await(Future<Chunk> page) throws java.io.IOException, InterruptedException {
        try {
            return page.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof java.io.IOException io) throw io;
            if (e.getCause() instanceof InterruptedException ie) throw ie;
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new IllegalStateException(e.getCause());
        }
    }

    private static Chunk read(PeerClient.Page page, String source, String channel, String sender, long after) {
        List<Link> links = new ArrayList<>(page.envelopes().size());
        for (JsonNode json : page.envelopes()) {
            Link link;
            try {
                link = WithheldNotice.isNotice(json) ? new NoticeLink(WithheldNotice.fromJson(json)) : new EnvelopeLink(Envelope.fromJson(json));
            } catch (EnvelopeFormatException ex) {
                LOG.warn("catch-up of {}/{} from {} sent a malformed item after seq {}: {}", channel, sender, source, after + links.size(), ex.getMessage());
                return new Chunk(links, false, false);
            }
            if (!continues(link, channel, sender, after + links.size() + 1)) {
                LOG.warn("catch-up of {}/{} from {} sent an item that does not continue the chain at seq {}", channel, sender, source, after + links.size() + 1);
                return new Chunk(links, false, false);
            }
            links.add(link);
        }
        return new Chunk(links, page.more(), true);
    }

    private static boolean continues(Link link, String channel, String sender, long seq) {
        return switch (link) {
            case EnvelopeLink l -> l.envelope().channel().equals(channel) && l.envelope().from().equals(sender) && l.seq() == seq;
            case NoticeLink l -> l.notice().channel().equals(channel) && l.notice().from().equals(sender) && l.seq() == seq;
        };
    }

    /** How a page was judged: envelopes newly accepted, and whether every link was taken (false: stop here). */
    private record Judged(int accepted, boolean all) {}

    /**
     * Judges a page's links in order: runs of envelopes as one batch ({@link EnvelopeAcceptor#acceptAll}), split where
     * a key hand-over begins ({@link KeyHandOver#judgeInRuns}), and each withheld notice on its own in its place.
     * Stops at the first refusal, as a pushed envelope's refusal would stop its sender's chain here.
     */
    private Judged judge(List<Link> links, String remote, String source) {
        int accepted = 0;
        int i = 0;
        while (i < links.size()) {
            if (links.get(i) instanceof NoticeLink(WithheldNotice n)) {
                // A TLP:RED link withheld from us: judged like a pushed notice (signature, chain, equivocation).
                var nv = node.acceptor().acceptNotice(n, remote);
                if (nv instanceof EnvelopeAcceptor.NoticeVerdict.Linked) accepted++;
                if (nv instanceof EnvelopeAcceptor.NoticeVerdict.Rejected r) {
                    LOG.warn("catch-up from {}: notice {} refused: {}", source, n.seq(), r.reason().detail());
                    return new Judged(accepted, false);
                }
                i++;
                continue;
            }
            List<Envelope> run = new ArrayList<>();
            for (int j = i; j < links.size() && links.get(j) instanceof EnvelopeLink(Envelope e); j++) run.add(e);
            // a key hand-over pulled rather than delivered counts the same
            List<Verdict> verdicts = handOver.judgeInRuns(run, remote, r -> node.acceptor().acceptAll(r, remote), v -> v instanceof Verdict.Rejected);
            for (int k = 0; k < verdicts.size(); k++) {
                if (verdicts.get(k) instanceof Verdict.Accepted) accepted++;
                if (verdicts.get(k) instanceof Verdict.Rejected r) {
                    LOG.warn("catch-up from {}: {} refused: {}", source, run.get(k).seq(), r.reason().detail());
                    return new Judged(accepted, false);
                }
            }
            i += run.size();
        }
        return new Judged(accepted, true);
    }

    @Override
    public void close() {
        worker.close();
        fetcher.shutdownNow();
    }
}
